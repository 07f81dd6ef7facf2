//! What the generated integration tests of a resource exercise: the values they send,
//! the rules they break, the relations they follow. Each list becomes one test each.

use super::fields::{Broken, Sample, SchemaRule};
use super::{FieldPlan, Plan, ResourcePlan};
use crate::names;
use crate::schema::{Rule, Scalar};

/// A rule a test breaks: `{field}_{code}` names the test.
#[derive(Debug, Clone)]
pub struct ViolationTest {
    pub test_name: String,
    pub field: String,
    pub code: String,
    /// The value sent.
    pub value: TestValue,
}

/// A value a test sends that breaks a rule: one of the field's rules, or its type's (the
/// kind table's wrong-type or malformed value, a `json!` expression).
#[derive(Debug, Clone, PartialEq)]
pub enum TestValue {
    Broken(Broken),
    Kind(&'static str),
}

/// A belongs_to field a test follows: to a row that does not exist, and through the
/// deletion of its parent.
#[derive(Debug, Clone)]
pub struct RelationTest {
    /// `category_id`, `parentTask_id`.
    pub column: String,
    /// The column in snake_case, for test names (`parent_task_id`).
    pub snake: String,
    /// `category`: the parent's module, for `common::create_category`.
    pub parent_module: String,
    /// `/api/categories`.
    pub parent_path: String,
    /// `cascade`, `restrict` or `set_null`; None when the parent is soft-deleted
    /// (its rows stay, so nothing happens to the children).
    pub on_delete: Option<&'static str>,
}

/// A field whose default the tests check: (JSON key, expected JSON value).
#[derive(Debug, Clone)]
pub struct DefaultTest {
    pub field: String,
    pub json: String,
}

impl FieldPlan {
    /// What a response shows for an optional field a POST or PUT left out: its default
    /// where it has one (none where the default does not read back as written), else
    /// null. `render::left_out` writes it.
    pub fn left_out(&self) -> Option<LeftOut> {
        if self.has_default {
            self.default_json.clone().map(LeftOut::Default)
        } else {
            Some(LeftOut::Null)
        }
    }

    /// A value of the wrong JSON type for this field, if there is one.
    fn wrong_type(&self) -> Option<TestValue> {
        match (self.scalar, &self.relation) {
            (Some(scalar), _) => scalar.spec().wrong_type.map(TestValue::Kind),
            // A parent's id.
            (None, Some(_)) => Scalar::BigInt.spec().wrong_type.map(TestValue::Kind),
            // An enum's value.
            (None, None) => Some(TestValue::Broken(Broken::Int(42))),
        }
    }
}

impl ResourcePlan {
    /// `PRODUCTS_SKU`: the constant holding a pattern field's sample values.
    pub fn samples_const(&self, field: &FieldPlan) -> String {
        format!("{}_{}", self.plural, field.name).to_ascii_uppercase()
    }
}

/// What a response shows for a field left out of a body.
#[derive(Debug, Clone, PartialEq)]
pub enum LeftOut {
    /// The default, as JSON text (`"pending"`).
    Default(String),
    Null,
}

/// A test that a field only some roles may set refuses a change from the role below
/// them and takes it from one of them.
#[derive(Debug, Clone)]
pub struct WritableTest {
    /// The JSON key.
    pub field: String,
    /// `only_staff_and_above_may_set_status`.
    pub test_name: String,
    /// The `UserRole` variant just below the field's role.
    pub below: String,
    /// The `UserRole` variant that changes it: the field's role, or the last one where
    /// the update rule admits that role to no row of someone else's.
    pub writer: String,
    /// The row must be the caller's: the update rule is `owner`.
    pub owned: bool,
    /// The function of tests/common that gives a new value (`sample_order_status`), and
    /// whether it draws from the app's pattern samples (else from a unique number).
    pub sample_fn: String,
    pub sample_by_app: bool,
    /// What a new row holds when a create leaves the field out (`"pending"`), where the
    /// role below may create: its create with any other value is refused.
    pub left_out: Option<LeftOut>,
}

impl FieldPlan {
    /// The valid bodies of the tests send it: not an optional relation (a test that
    /// needs one sets it), nor a field only some roles may set that a create may leave
    /// out (callers of every role send these bodies). A guarded field that is required,
    /// or unique with a default (which a second row could not take again), is sent: the
    /// checker lets every role that may create set it.
    pub fn sent_by_tests(&self) -> bool {
        let needed = self.required() || (self.unique && self.has_default);
        !(self.relation.is_some() && self.optional) && (self.writable.is_none() || needed)
    }

    /// The field's values can differ from call to call, for the tests of who may set it
    /// (`render::varying_sample` writes one); not where the rules leave one value, nor
    /// for a relation.
    pub fn varies(&self) -> bool {
        match &self.sample {
            sample if sample.uses_n() => true,
            sample if sample.is_value() => match &self.enum_plan {
                Some(e) => e.variants.len() > 1,
                None => self.rust_type == "bool",
            },
            Sample::Choices(values) => values.len() > 1,
            _ => false,
        }
    }

    /// Its sample function in tests/common: `sample_order_status`.
    fn sample_fn(&self, resource: &ResourcePlan) -> String {
        format!("sample_{}_{}", resource.snake(), self.snake)
    }

    /// Its samples are the app's pattern values: its sample function in tests/common
    /// takes the app (else a unique number).
    pub fn samples_by_app(&self) -> bool {
        matches!(self.sample, Sample::Choices(_))
    }
}

impl Plan {
    /// The roles of `[auth]` as (variant, value), least privileged first; none without it.
    fn roles(&self) -> &[(String, String)] {
        self.auth
            .as_ref()
            .map(|a| a.roles.as_slice())
            .unwrap_or_default()
    }

    /// The index of `role` among the roles of `[auth]` (0 without it).
    fn role_rank(&self, role: &str) -> usize {
        let roles = self.roles();
        roles
            .iter()
            .position(|(_, value)| value == role)
            .unwrap_or(0)
    }

    /// The `UserRole` variant of the role at `rank`.
    fn role_variant(&self, rank: usize) -> String {
        let roles = self.roles();
        roles
            .get(rank)
            .map_or_else(String::new, |(variant, _)| variant.clone())
    }

    /// The rank of the least role `rule` admits to some row, and whether only to its own
    /// (`owner`; the last role passes it on every row).
    fn least_admitted(&self, rule: &super::RulePlan) -> (usize, bool) {
        match rule.word.as_str() {
            "public" | "authenticated" => (0, false),
            "owner" => (0, true),
            role => (self.role_rank(role), false),
        }
    }

    /// The tests of who may set each field only some roles may: one per such field that
    /// a role below its own may PATCH and whose samples differ.
    pub fn writable_tests(&self, r: &ResourcePlan) -> Vec<WritableTest> {
        let Some(access) = &r.access else {
            return Vec::new();
        };
        let last = self.roles().len().saturating_sub(1);
        let (update_rank, owned) = self.least_admitted(&access.update);
        let mut tests = Vec::new();
        for f in r.writable_samples() {
            let Some(writable) = &f.writable else {
                continue;
            };
            let rank = self.role_rank(&writable.role);
            if rank == 0 || rank - 1 < update_rank || (owned && r.owner.is_none()) {
                continue;
            }
            let writer = if owned || rank < update_rank {
                last
            } else {
                rank
            };
            // A User's create is a registration: anonymous, below every role.
            let creates = if r.is_user {
                self.registration_open()
            } else {
                self.least_admitted(&access.create).0 < rank
            };
            let left_out = f.left_out().filter(|_| creates);
            tests.push(WritableTest {
                field: f.name.clone(),
                test_name: names::join_snake(&[
                    "only",
                    &writable.who().replace(' ', "_"),
                    "may_set",
                    &f.snake,
                ]),
                below: self.role_variant(rank - 1),
                writer: self.role_variant(writer),
                owned,
                sample_fn: f.sample_fn(r),
                sample_by_app: f.samples_by_app(),
                left_out,
            });
        }
        tests
    }

    /// The role that creates a row for someone else in the owner tests: the owner
    /// field's role where the create rule admits it and it reads the body's parents,
    /// else the last role.
    pub fn owner_naming_role(&self, r: &ResourcePlan) -> String {
        let last = self.roles().len().saturating_sub(1);
        let (Some(access), Some(writable)) = (
            &r.access,
            r.fields
                .iter()
                .find(|f| f.owner)
                .and_then(|f| f.writable.as_ref()),
        ) else {
            return self.role_variant(last);
        };
        let rank = self.role_rank(&writable.role);
        let creates = self.least_admitted(&access.create).0 <= rank;
        let reads_parents = self.parents_rank_of(r) <= 2 + rank;
        self.role_variant(if creates && reads_parents { rank } else { last })
    }

    /// The first role may not name another owner: the owner field's role is above it.
    pub fn first_role_names_no_owner(&self, r: &ResourcePlan) -> bool {
        r.fields
            .iter()
            .find(|f| f.owner)
            .and_then(|f| f.writable.as_ref())
            .is_some_and(|w| self.role_rank(&w.role) > 0)
    }

    /// A user of the first role may PATCH their own rows of `r`.
    pub fn first_role_updates_own_rows(&self, r: &ResourcePlan) -> bool {
        r.access
            .as_ref()
            .is_some_and(|access| self.least_admitted(&access.update).0 == 0)
    }
}

impl ResourcePlan {
    /// What the tests use of the harness (`use common::{..}`): `chars` only where a test
    /// sends long strings, the access test types with `[auth]`.
    pub fn harness_names(&self) -> Vec<&'static str> {
        let uses_chars = self
            .violation_tests()
            .iter()
            .any(|v| matches!(v.value, TestValue::Broken(Broken::Chars(_))));
        let mut items = Vec::new();
        if self.access.is_some() {
            items.extend(["Account", "Route", "Rule"]);
        }
        items.push("TestApp");
        if self.access.is_some() {
            items.push("Users");
        }
        if uses_chars {
            items.push("chars");
        }
        items
    }

    /// The routes of the access tests: (method, item route, rule, status on success).
    pub fn access_routes(&self) -> Vec<(&'static str, bool, &Rule, &'static str)> {
        let Some(access) = &self.access else {
            return Vec::new();
        };
        let mut routes = vec![("GET", false, &access.list.rule, "OK")];
        if !self.is_user {
            routes.push(("POST", false, &access.create.rule, "CREATED"));
        }
        routes.extend([
            ("GET", true, &access.get.rule, "OK"),
            ("PUT", true, &access.update.rule, "OK"),
            ("PATCH", true, &access.update.rule, "OK"),
            ("DELETE", true, &access.delete.rule, "NO_CONTENT"),
        ]);
        routes
    }

    /// `/api/products`.
    pub fn path(&self, plan: &Plan) -> String {
        format!("{}/{}", plan.base_path, self.plural)
    }

    /// Fields `valid_<module>` sends: every input field but optional relations (a test
    /// that needs one sets it).
    /// A field only some roles may set is left out too where a create may leave it out:
    /// callers of every role send these bodies.
    pub fn sample_fields(&self) -> Vec<&FieldPlan> {
        self.input_fields().filter(|f| f.sent_by_tests()).collect()
    }

    /// The JSON keys of the sample fields only some roles may set (required ones): an
    /// access test's PUT leaves them out, and so keeps them.
    pub fn guarded_samples(&self) -> Vec<&str> {
        let fields = self.sample_fields().into_iter();
        let guarded = fields.filter(|f| f.writable.is_some());
        guarded.map(|f| f.name.as_str()).collect()
    }

    /// The guarded fields whose own sample function the tests of who may set them call.
    pub fn writable_samples(&self) -> Vec<&FieldPlan> {
        self.guarded_fields()
            .filter(|f| !f.owner && !f.private && f.varies())
            .collect()
    }

    /// The unique fields with a test that a second row cannot take the first's value, and
    /// how the first row gets one where a valid body leaves the field out:
    /// - an optional parent: a new parent row (`None` here, the test makes one);
    /// - a field only some roles may set: its sample function (`Some` call); a field of
    ///   that kind without one (private, or with a single value) has no such test, since
    ///   two rows without a value do not clash.
    pub fn unique_tests(&self) -> Vec<(&FieldPlan, Option<String>)> {
        let sampled = self.writable_samples();
        self.unique_fields()
            .filter_map(|f| {
                if f.sent_by_tests() || f.relation.is_some() {
                    return Some((f, None));
                }
                let sample = sampled.iter().find(|s| s.name == f.name)?;
                let arg = match sample.samples_by_app() {
                    true => "&app",
                    false => "common::unique()",
                };
                Some((f, Some(format!("common::{}({arg})", f.sample_fn(self)))))
            })
            .collect()
    }

    /// Some sample of `valid_<module>` uses `n`, the call's unique number.
    pub fn samples_use_n(&self) -> bool {
        self.sample_fields().iter().any(|f| f.sample.uses_n())
    }

    /// Two valid bodies differ in some field (a value built from `n`, a choice among
    /// several, a new parent): a PUT of the second changes the row.
    pub fn valid_bodies_differ(&self) -> bool {
        self.sample_fields().iter().any(|f| match &f.sample {
            Sample::Choices(values) => values.len() > 1,
            Sample::Parent { .. } => true,
            sample => sample.uses_n(),
        })
    }

    /// `valid_<module>` needs the app: it creates parents or takes sample values.
    pub fn samples_need_app(&self) -> bool {
        self.sample_fields()
            .iter()
            .any(|f| matches!(f.sample, Sample::Parent { .. } | Sample::Choices(_)))
    }

    /// Required parents created before the body: (local variable, parent module).
    pub fn required_parents(&self) -> Vec<(String, String)> {
        self.sample_fields()
            .into_iter()
            .filter_map(|f| match &f.sample {
                Sample::Parent { module, .. } => Some((f.ident.clone(), module.clone())),
                _ => None,
            })
            .collect()
    }

    /// The sample values of each pattern field, one a line, and the name of the `const`
    /// that holds them in the tests (`PRODUCTS_SKU`, `"AAAA\nBAAA"`).
    pub fn sample_sets(&self) -> Vec<(String, String)> {
        self.fields
            .iter()
            .filter_map(|f| match &f.sample {
                Sample::Choices(values) => Some((self.samples_const(f), values.join("\n"))),
                _ => None,
            })
            .collect()
    }

    /// A value of a rule-checked field that breaks a rule, for the PUT and PATCH tests.
    pub fn first_violation(&self) -> Option<ViolationTest> {
        self.violation_tests().into_iter().next()
    }

    /// One test per rule of every input field.
    pub fn violation_tests(&self) -> Vec<ViolationTest> {
        let mut tests = Vec::new();
        for f in self.input_fields() {
            for (code, value) in &f.violations {
                tests.push(ViolationTest {
                    test_name: names::join_snake(&[&names::snake_case(&f.name), "breaks", code]),
                    field: f.name.clone(),
                    code: code.clone(),
                    value: TestValue::Broken(value.clone()),
                });
            }
            if let Some(value) = f.wrong_type() {
                tests.push(ViolationTest {
                    test_name: names::join_snake(&[
                        &names::snake_case(&f.name),
                        "has_the_wrong_type",
                    ]),
                    field: f.name.clone(),
                    code: "invalid".to_string(),
                    value,
                });
            }
        }
        tests
    }

    /// One test per date, datetime and uuid input field: a value of the right shape that
    /// its type cannot read (`2024-02-30`) is refused naming the form and an example.
    pub fn form_tests(&self) -> Vec<ViolationTest> {
        self.input_fields()
            .filter_map(|f| {
                let value = f.scalar?.spec().malformed?;
                Some(ViolationTest {
                    test_name: names::join_snake(&[&names::snake_case(&f.name), "names_its_form"]),
                    field: f.name.clone(),
                    code: "invalid".to_string(),
                    value: TestValue::Kind(value),
                })
            })
            .collect()
    }

    /// The rule tests of the fields a schema adds to the built-in User.
    pub fn extra_violation_tests(&self) -> Vec<ViolationTest> {
        let extra: Vec<&str> = self.extra_fields().map(|f| f.name.as_str()).collect();
        self.violation_tests()
            .into_iter()
            .filter(|v| extra.contains(&v.field.as_str()))
            .collect()
    }

    /// Fields a create must carry.
    pub fn required_fields(&self) -> Vec<&FieldPlan> {
        self.input_fields().filter(|f| f.required()).collect()
    }

    /// An integer field a response shows, to send as a float with no fraction (`722.0`).
    pub fn integral_float_field(&self) -> Option<&FieldPlan> {
        // A field the valid body carries; a sample past i32 (`_i64`) may be past what a
        // float holds exactly.
        self.sample_fields().into_iter().find(|f| {
            matches!(f.rust_type.as_str(), "i32" | "i64")
                && !f.private
                && !matches!(&f.sample, Sample::Int { low, .. } if i32::try_from(*low).is_err())
        })
    }

    /// A decimal field the valid body carries and the answer shows, that tests may set
    /// to its sample's value on several rows (it is not unique): the test that a decimal
    /// keeps every digit (one without a `scale`, which takes 28 places).
    pub fn exact_decimal_field(&self) -> Option<&FieldPlan> {
        self.exact_field(|f| f.is_decimal() && f.scale.is_none())
    }

    /// A decimal field with a `scale`, likewise: the test that it answers its places.
    pub fn scaled_decimal_field(&self) -> Option<&FieldPlan> {
        self.exact_field(|f| f.scale.is_some())
    }

    /// A datetime field, likewise: the test that it keeps the microsecond and refuses
    /// what a database would keep differently.
    pub fn exact_datetime_field(&self) -> Option<&FieldPlan> {
        self.exact_field(|f| f.is_datetime())
    }

    /// A date field, likewise.
    pub fn exact_date_field(&self) -> Option<&FieldPlan> {
        self.exact_field(|f| f.scalar == Some(Scalar::Date))
    }

    /// A json field, likewise: the test that its numbers keep every digit.
    pub fn exact_json_field(&self) -> Option<&FieldPlan> {
        self.exact_field(|f| f.scalar == Some(Scalar::Json))
    }

    /// An enum field with two values or more, likewise: the test that it sorts in the
    /// order its values are declared.
    pub fn exact_enum_field(&self) -> Option<&FieldPlan> {
        self.exact_field(|f| f.enum_plan.is_some() && f.column.values.len() > 1)
    }

    /// A text field that takes any text of 5 characters (no pattern, format or enum, no
    /// length rule against it): the test that text sorts by code point and `contains`
    /// folds A to Z only. It may be unique: the test's values differ.
    pub fn free_text_field(&self) -> Option<&FieldPlan> {
        self.sample_fields().into_iter().find(|f| {
            f.rust_type == "String"
                && !f.private
                && f.pattern.is_none()
                && f.enum_plan.is_none()
                && f.schema_rules.iter().all(|rule| match rule {
                    SchemaRule::MaxLength(n) => *n >= 5,
                    SchemaRule::MinLength(n) => *n <= 5,
                    _ => false,
                })
        })
    }

    fn exact_field(&self, kind: impl Fn(&FieldPlan) -> bool) -> Option<&FieldPlan> {
        self.sample_fields()
            .into_iter()
            .find(|f| kind(f) && !f.unique && !f.private)
    }

    /// Some test sends a body without a field: a required one (422) or an optional one.
    pub fn tests_leave_fields_out(&self) -> bool {
        // Exactly the tests that call `body_without`: an optional field kept when left
        // out (a `writable` one) has no such test, and the helper would be dead code.
        self.first_shown_optional().is_some()
            || !self.private_inputs().is_empty()
            || !self.required_fields().is_empty()
    }

    /// The first optional field a response shows and a PUT replaces, for the test that a
    /// PUT leaving it out clears it.
    pub fn first_shown_optional(&self) -> Option<&FieldPlan> {
        self.input_fields()
            .find(|f| f.optional && !f.kept_when_left_out())
    }

    /// Private fields a body may set: a PUT that leaves one out keeps its value.
    pub fn private_inputs(&self) -> Vec<&FieldPlan> {
        self.input_fields().filter(|f| f.private).collect()
    }

    /// Optional fields a create may leave out (and a PATCH may clear with `null`).
    pub fn optional_fields(&self) -> Vec<&FieldPlan> {
        self.input_fields().filter(|f| f.optional).collect()
    }

    /// Defaulted fields whose default reads back the same in JSON (a private one never
    /// reads back).
    pub fn default_tests(&self) -> Vec<DefaultTest> {
        self.input_fields()
            .filter(|f| !f.private)
            .filter_map(|f| {
                let json = f.default_json.clone()?;
                Some(DefaultTest {
                    field: f.name.clone(),
                    json,
                })
            })
            .collect()
    }

    /// The field the PATCH test changes: one whose sample differs from row to row.
    pub fn patch_field(&self) -> Option<&FieldPlan> {
        self.sample_fields().into_iter().find(|f| match &f.sample {
            sample if sample.is_value() => {
                sample.uses_n() && f.relation.is_none() && !f.unique && !f.private
            }
            _ => false,
        })
    }

    /// A required input field, for the "null is refused in a PATCH" test.
    pub fn not_null_field(&self) -> Option<&FieldPlan> {
        self.input_fields().find(|f| !f.optional)
    }

    pub fn relation_tests(&self, plan: &Plan) -> Vec<RelationTest> {
        self.input_fields()
            .filter_map(|f| {
                let relation = f.relation.as_ref()?;
                let parent = plan
                    .resources
                    .iter()
                    .find(|r| r.plural == relation.target_table)?;
                Some(RelationTest {
                    snake: names::snake_case(&relation.column),
                    column: relation.column.clone(),
                    parent_module: parent.snake().to_string(),
                    parent_path: parent.path(plan),
                    on_delete: (!parent.soft_delete).then_some(match relation.on_delete {
                        "Cascade" => "cascade",
                        "SetNull" => "set_null",
                        _ => "restrict",
                    }),
                })
            })
            .collect()
    }

    pub fn private_fields(&self) -> Vec<&FieldPlan> {
        self.fields.iter().filter(|f| f.private).collect()
    }

    pub fn readonly_fields(&self) -> Vec<&FieldPlan> {
        self.fields.iter().filter(|f| f.readonly).collect()
    }

    /// Output fields whose value reads back exactly as the sample sent it.
    pub fn echoed_fields(&self) -> Vec<&FieldPlan> {
        self.sample_fields()
            .into_iter()
            .filter(|f| !f.private)
            .collect()
    }
}

/// A caller that may list a resource but not a relation it embeds: the generated test
/// that `?include=` of it answers 403 naming the relation.
#[derive(Debug, Clone)]
pub struct RefusedInclude {
    /// The relation (`customer`).
    pub name: String,
    /// The caller's `UserRole` variant, admitted by the resource's `list` rule.
    pub role: String,
    /// The detail the 403 must carry.
    pub detail: String,
}

impl Plan {
    /// The first relation of `r` whose `list` rule names a role above the least one
    /// that `r`'s own `list` rule admits.
    pub fn refused_include(&self, r: &ResourcePlan) -> Option<RefusedInclude> {
        let auth = self.auth.as_ref()?;
        let rank = |word: &str| auth.roles.iter().position(|(_, value)| value == word);
        let list = &r.access.as_ref()?.list;
        let lowest = match list.word.as_str() {
            "public" | "authenticated" | "owner" => 0,
            role => rank(role)?,
        };
        r.includes.iter().find_map(|include| {
            let needed = rank(&include.list_rule)?;
            (needed > lowest).then(|| RefusedInclude {
                name: include.name.clone(),
                role: auth.roles[lowest].0.clone(),
                detail: include.refusal(),
            })
        })
    }
}
