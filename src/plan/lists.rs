//! What the list routes and relations of each resource need: the fields a list filters and
//! sorts on, what `?include=` embeds, the lists nested under a parent
//! (`/authors/{id}/posts`) and the link routes of many_to_many fields.

use crate::names;
use crate::schema::Scalar;
use crate::schema::kind::{DATETIME_FILTER, Filter, INTEGER_FILTER, TEXT_FILTER};

use super::tables::ColumnType;
use super::{FieldPlan, JoinTablePlan, Plan, ResourcePlan, Use};

/// A field a list can filter and sort on.
#[derive(Debug, Clone)]
pub struct ListFieldPlan {
    /// Query parameter and JSON key (`price`, `category_id`).
    pub name: String,
    /// The entity's column variant (`CategoryId`).
    pub variant: String,
    /// The schema type in words, for docs (`decimal`, `enum`).
    pub type_label: String,
    pub optional: bool,
    /// An index serves `=`, ranges and sorting on it (id, unique, index, belongs_to).
    pub indexed: bool,
    /// The operators it takes, `eq` first (`null` when optional).
    pub operators: Vec<&'static str>,
    pub filter: FilterKind,
}

impl ListFieldPlan {
    fn new(name: &str, kind: FilterKind, optional: bool, indexed: bool) -> ListFieldPlan {
        let mut operators = kind.operators().to_vec();
        if optional {
            operators.push("null");
        }
        ListFieldPlan {
            name: name.to_string(),
            variant: names::column_variant(&names::snake_case(name)),
            type_label: kind.label().to_string(),
            optional,
            indexed,
            operators,
            filter: kind,
        }
    }

    /// `Field::required` or `Field::optional`.
    pub fn constructor(&self) -> &'static str {
        if self.optional {
            "optional"
        } else {
            "required"
        }
    }
}

/// A field's type as filters see it (mirrors the generated `query::Kind`).
#[derive(Debug, Clone, PartialEq)]
pub enum FilterKind {
    /// The filter of a scalar type ([`Scalar::spec`]); text for a `varchar`.
    Of(&'static Filter),
    /// An enum's values, in their declared order (the order it sorts in).
    Enum(Vec<String>),
}

impl FilterKind {
    fn of(field: &FieldPlan) -> FilterKind {
        if !field.column.values.is_empty() {
            return FilterKind::Enum(field.column.values.clone());
        }
        match field.column.ty {
            ColumnType::String(_) => FilterKind::Of(&TEXT_FILTER),
            ColumnType::Of(scalar) => FilterKind::Of(scalar.spec().filter),
        }
    }

    /// The same list as the generated `Kind::operators`.
    pub fn operators(&self) -> &'static [&'static str] {
        match self {
            FilterKind::Of(filter) => filter.operators,
            FilterKind::Enum(_) => &["eq", "ne", "in"],
        }
    }

    fn label(&self) -> &'static str {
        match self {
            FilterKind::Of(filter) => filter.label,
            FilterKind::Enum(_) => "enum",
        }
    }

    /// A list may sort by it.
    pub fn sortable(&self) -> bool {
        match self {
            FilterKind::Of(filter) => filter.sortable,
            FilterKind::Enum(_) => true,
        }
    }
}

impl Plan {
    /// The generated README's table of filters: the field types that take each list of
    /// operators (an enum and a belongs_to's id with the types that share theirs), and
    /// the operators, `eq` written plain in the first row.
    pub fn filter_table(&self) -> Vec<(String, String)> {
        let mut rows: Vec<(&'static [&'static str], Vec<String>)> = Vec::new();
        for scalar in Scalar::ALL {
            let filter = scalar.spec().filter;
            let name = match filter.note {
                Some(note) => format!("{} ({note})", scalar.keyword()),
                None => scalar.keyword().to_string(),
            };
            match rows.iter_mut().find(|(ops, _)| *ops == filter.operators) {
                Some((_, names)) => names.push(name),
                None if filter.operators.is_empty() => {}
                None => rows.push((filter.operators, vec![name])),
            }
        }
        let enums = FilterKind::Enum(Vec::new()).operators();
        let ids = INTEGER_FILTER.operators;
        for (ops, names) in &mut rows {
            if *ops == enums {
                names.insert(0, "enum".to_string());
            }
            if *ops == ids {
                names.push("belongs_to ids".to_string());
            }
        }
        rows.iter()
            .enumerate()
            .map(|(i, (ops, names))| {
                let ops: Vec<String> = (ops.iter())
                    .map(|op| match (i, *op) {
                        (0, "eq") => "`eq` (plain `name=`)".to_string(),
                        (_, op) => format!("`{op}`"),
                    })
                    .collect();
                (names.join(", "), ops.join(", "))
            })
            .collect()
    }
}

/// What `?include=<name>` embeds in a row: its belongs_to parent, or the rows a
/// many_to_many field links it to.
#[derive(Debug, Clone)]
pub struct IncludePlan {
    /// The parameter value and the response key (`author`, `tags`).
    pub name: String,
    /// The response struct's field (`author`, `r#type`).
    pub ident: String,
    /// The embedded rows' response type, module and routes module (`Tag`, `tag`, `tags`).
    pub target: String,
    pub target_module: String,
    pub target_routes: String,
    /// belongs_to: the row's column field (`author_id`) and whether it may be NULL.
    pub column_ident: String,
    /// belongs_to: the column's JSON key (`author_id`).
    pub column: String,
    /// belongs_to: the row's owner, set from the token.
    pub owner: bool,
    pub optional: bool,
    /// many_to_many: the join table.
    pub link: Option<LinkPlan>,
    /// The embedded resource's plural and its `list` rule (`public`, `authenticated`,
    /// `owner` or a role), which the caller must pass.
    pub target_plural: String,
    pub list_rule: String,
}

impl IncludePlan {
    /// The detail of the 401 or 403 a caller the embedded resource's `list` rule does not
    /// admit gets: it names the relation and the rule.
    pub fn refusal(&self) -> String {
        format!(
            "include={}: {} are listed by {} only",
            self.name,
            self.target_plural,
            self.listed_by()
        )
    }

    /// Who may list the embedded rows, in words: `a logged-in user`, or `staff and the
    /// roles after it`.
    pub fn listed_by(&self) -> String {
        match self.list_rule.as_str() {
            "authenticated" | "owner" => "a logged-in user".to_string(),
            role => format!("{role} and the roles after it"),
        }
    }

    /// The target's snake_case name, for names built from it (`create_tag`).
    pub fn target_snake(&self) -> &str {
        names::unraw(&self.target_module)
    }

    pub fn is_many(&self) -> bool {
        self.link.is_some()
    }

    /// serde would not derive the response key from the Rust field (`lineItems` for
    /// `line_items`): it needs `#[serde(rename)]`.
    pub fn renamed(&self) -> bool {
        names::unraw(&self.ident) != self.name
    }

    /// The response field's type.
    pub fn field_type(&self) -> String {
        if self.is_many() {
            format!("Option<Vec<{}>>", self.target)
        } else {
            format!("Option<Box<{}>>", self.target)
        }
    }
}

/// The routes of a many_to_many field on the resource that declares it:
/// `GET /posts/{id}/tags`, `PUT DELETE /posts/{id}/tags/{tag_id}`.
#[derive(Debug, Clone)]
pub struct LinkPlan {
    /// The field (`tags`).
    pub field: String,
    pub snake: String,
    /// The join table's entity module (`post_tags`).
    pub join_module: String,
    /// Its columns: this resource's id and the linked one's, as fields and variants.
    pub owner_column: String,
    pub owner_variant: String,
    pub target_column: String,
    pub target_variant: String,
    /// The linked row's path parameter: its join column (`tag_id`), but `related_id` on a
    /// resource linked to itself, whose column repeats the resource's name.
    pub param: String,
    /// `/posts/{id}/tags`, `/posts/{id}/tags/{tag_id}`.
    pub list_path: String,
    pub item_path: String,
    /// The linked resource (`Tag`, `tag`, `tags`) and its words (`tag`).
    pub target: String,
    pub target_module: String,
    pub target_routes: String,
    pub target_words: String,
}

impl LinkPlan {
    /// The linked resource's snake_case name, for names built from it (`create_tag`).
    pub fn target_snake(&self) -> &str {
        names::unraw(&self.target_module)
    }
}

/// A list of this resource's rows under one parent row: `GET /authors/{id}/posts`.
#[derive(Debug, Clone)]
pub struct ChildListPlan {
    /// `/authors/{id}/posts`.
    pub path: String,
    /// The belongs_to column's JSON key (`author_id`), and whether it is the owner.
    pub column: String,
    pub owner: bool,
    /// The handler (`list_by_author`).
    pub handler: String,
    /// The belongs_to field (`author`) and its column variant (`AuthorId`).
    pub field: String,
    pub variant: String,
    /// The parent resource: its module, routes module and words (`author`, `authors`).
    pub parent_module: String,
    pub parent_routes: String,
    pub parent_words: String,
}

impl ChildListPlan {
    /// The parent's snake_case name, for names built from it (`create_author`).
    pub fn parent_snake(&self) -> &str {
        names::unraw(&self.parent_module)
    }

    /// The name of the generated test of this list (`list_by_author_lists_the_rows_of_one_user`),
    /// `..._of_one_parent` where the parent's name would take its line past 100 columns.
    pub fn test_name(&self) -> String {
        let named = format!(
            "{}_lists_the_rows_of_one_{}",
            self.handler,
            self.parent_snake()
        );
        if "async fn () {".len() + named.len() <= crate::layout::MAX_WIDTH {
            named
        } else {
            format!("{}_lists_the_rows_of_one_parent", self.handler)
        }
    }
}

impl ResourcePlan {
    /// `id`, every field a response shows but json ones, and the timestamps.
    pub fn list_fields(&self) -> Vec<ListFieldPlan> {
        let mut fields = vec![ListFieldPlan::new(
            "id",
            FilterKind::Of(&INTEGER_FILTER),
            false,
            true,
        )];
        for f in self.output_fields() {
            let indexed = f.unique || f.index || f.relation.is_some();
            fields.push(ListFieldPlan::new(
                &f.name,
                FilterKind::of(f),
                f.optional,
                indexed,
            ));
        }
        if self.timestamps {
            // `created_at` has an index (`Plan::tables`); `updated_at` does not.
            for (name, indexed) in [("created_at", true), ("updated_at", false)] {
                fields.push(ListFieldPlan::new(
                    name,
                    FilterKind::Of(&DATETIME_FILTER),
                    false,
                    indexed,
                ));
            }
        }
        fields
    }

    pub fn has_includes(&self) -> bool {
        !self.includes.is_empty()
    }

    /// Whether its routes filter rows by a column themselves (`ColumnTrait`, `QueryFilter`):
    /// an owner's lists, a parent's check of a child's parent id, and linked embeds. A read
    /// by id does not: `routes::FindById` in the generated crate keeps its SQL.
    pub fn filters_by_column(&self) -> bool {
        self.owner.is_some() || self.is_parent || self.includes.iter().any(|i| i.link.is_some())
    }

    /// Some embedded parent is set in the test's body (not a link, not the owner).
    pub fn includes_a_settable_parent(&self) -> bool {
        self.includes.iter().any(|i| !i.is_many() && !i.owner)
    }

    /// `author`, `tags`: the names `?include=` takes.
    pub fn include_names(&self) -> Vec<&str> {
        self.includes.iter().map(|i| i.name.as_str()).collect()
    }
}

/// The `list` rule of `target` in words (`public` without `[auth]`).
fn list_rule(target: &ResourcePlan) -> String {
    target
        .access
        .as_ref()
        .map_or_else(|| "public".to_string(), |access| access.list.word.clone())
}

/// Fills each resource's includes, nested lists and links, and marks the resources
/// other routes read through `readable`.
pub fn plan_relations(plan: &mut Plan) {
    let snapshot = plan.resources.clone();
    let find = |name: &str| snapshot.iter().find(|r| r.name == name);
    let mut readable: Vec<String> = Vec::new();
    for (index, r) in snapshot.iter().enumerate() {
        // The built-in User's routes have no includes, links or nested lists.
        if r.is_user {
            continue;
        }
        let mut includes = Vec::new();
        let mut links = Vec::new();
        for f in r.output_fields() {
            let Some(relation) = &f.relation else {
                continue;
            };
            let Some(target) = snapshot.iter().find(|t| t.module == relation.target_module) else {
                continue;
            };
            let name = f.name.strip_suffix("_id").unwrap_or(&f.name).to_string();
            includes.push(IncludePlan {
                ident: names::rust_ident(&names::snake_case(&name)),
                name,
                target: target.name.clone(),
                target_module: target.module.clone(),
                target_routes: target.routes_module.clone(),
                column_ident: f.ident.clone(),
                column: f.name.clone(),
                owner: f.owner,
                optional: f.optional,
                link: None,
                target_plural: target.plural.clone(),
                list_rule: list_rule(target),
            });
            readable.push(target.name.clone());
        }
        for j in plan
            .join_tables
            .iter()
            .filter(|j| j.left_module == r.module)
        {
            let Some(target) = snapshot.iter().find(|t| t.module == j.right_module) else {
                continue;
            };
            let link = link_plan(r, target, j);
            includes.push(IncludePlan {
                name: link.field.clone(),
                ident: names::rust_ident(&link.field),
                target: target.name.clone(),
                target_module: target.module.clone(),
                target_routes: target.routes_module.clone(),
                column_ident: String::new(),
                column: String::new(),
                owner: false,
                optional: false,
                link: Some(link.clone()),
                target_plural: target.plural.clone(),
                list_rule: list_rule(target),
            });
            links.push(link);
            readable.push(target.name.clone());
        }
        // A parent check reads the parent through `readable` (User's only by id).
        for rel in r.checked_relations().filter(|rel| !rel.target_is_user) {
            if let Some(target) = snapshot.iter().find(|t| t.module == rel.target_module) {
                readable.push(target.name.clone());
            }
        }
        plan.resources[index].includes = includes;
        plan.resources[index].links = links;
    }
    // The lists nested under a parent, named after the child unless two belongs_to of
    // the child point at the same parent, or a link route has the path already.
    let link_paths: Vec<String> = plan
        .resources
        .iter()
        .flat_map(|r| r.links.iter().map(|l| l.list_path.clone()))
        .collect();
    for (index, r) in snapshot.iter().enumerate() {
        let mut lists = Vec::new();
        for include in plan.resources[index].includes.clone() {
            if include.is_many() {
                continue;
            }
            let Some(parent) = find(&include.target) else {
                continue;
            };
            let same_parent = plan.resources[index]
                .includes
                .iter()
                .filter(|i| !i.is_many() && i.target == include.target)
                .count();
            let mut segment = r.plural.clone();
            let mut path = format!("/{}/{{id}}/{segment}", parent.plural);
            if same_parent > 1 || link_paths.contains(&path) {
                segment = format!("{}_by_{}", r.plural, include.name);
                path = format!("/{}/{{id}}/{segment}", parent.plural);
            }
            lists.push(ChildListPlan {
                column: include.column.clone(),
                owner: include.owner,
                path,
                handler: format!("list_by_{}", names::stem(&names::snake_case(&include.name))),
                field: include.name.clone(),
                variant: names::pascal_case(&names::snake_case(&include.column_ident)),
                parent_module: parent.module.clone(),
                parent_routes: parent.routes_module.clone(),
                parent_words: parent.words.clone(),
            });
        }
        plan.resources[index].child_lists = lists;
    }
    let parents: Vec<String> = plan
        .resources
        .iter()
        .flat_map(|r| r.child_lists.iter().map(|l| l.parent_module.clone()))
        .collect();
    for r in &mut plan.resources {
        r.readable = readable.contains(&r.name);
        r.is_parent = parents.contains(&r.module);
    }
}

fn link_plan(owner: &ResourcePlan, target: &ResourcePlan, j: &JoinTablePlan) -> LinkPlan {
    let field = j.field.clone();
    let list_path = format!("/{}/{{id}}/{field}", owner.plural);
    let param = if owner.name == target.name {
        "related_id".to_string()
    } else {
        j.right_column.clone()
    };
    LinkPlan {
        item_path: format!("{list_path}/{{{param}}}"),
        param,
        list_path,
        snake: names::stem(&names::snake_case(&field)).to_string(),
        field,
        join_module: j.module.clone(),
        owner_variant: names::column_variant(&j.left_column),
        owner_column: j.left_column.clone(),
        target_variant: names::column_variant(&j.right_column),
        target_column: j.right_column.clone(),
        target: target.name.clone(),
        target_module: target.module.clone(),
        target_routes: target.routes_module.clone(),
        target_words: target.words.clone(),
    }
}

impl ListFieldPlan {
    pub fn sortable(&self) -> bool {
        self.filter.sortable()
    }
}

impl ResourcePlan {
    /// The response type of its lists (`PostPage`).
    pub fn page_type(&self) -> String {
        format!("{}Page", self.name)
    }

    /// `order items`.
    pub fn plural_words(&self) -> String {
        self.plural.replace('_', " ")
    }

    /// A filter for the docs: `?title.contains=..&sort=-created_at`.
    pub fn filter_example(&self) -> String {
        let fields = self.list_fields();
        let text = fields
            .iter()
            .find(|f| f.operators.contains(&"contains"))
            .map(|f| format!("{}.contains=..", f.name));
        let range = fields
            .iter()
            .find(|f| f.name != "id" && f.operators.contains(&"gte"))
            .map(|f| format!("{}.gte=..", f.name));
        let sort = format!(
            "sort=-{}",
            if self.timestamps { "created_at" } else { "id" }
        );
        let mut parts: Vec<String> = text.into_iter().chain(range).collect();
        // A doc line keeps the example whole: with long names, one filter shows the form.
        if parts.iter().map(|part| part.len() + 1).sum::<usize>() + sort.len() > 70 {
            parts.truncate(1);
        }
        parts.push(sort);
        parts.join("&")
    }

    /// The doc of the fields a list filters and sorts on, with an example query.
    pub fn list_fields_doc(&self) -> String {
        let words = if self.is_user {
            "users".to_string()
        } else {
            self.plural_words()
        };
        format!(
            "What a list of {words} filters and sorts on: `?{}`.",
            self.filter_example()
        )
    }

    /// The doc of its page type (the OpenAPI schema's description too).
    pub fn page_doc(&self, base_path: &str) -> String {
        format!(
            "A page of {}: what `GET {base_path}/{}` and the lists nested under other \
             resources answer.",
            self.plural_words(),
            self.plural
        )
    }

    /// The doc of the access rules the routes check.
    pub fn access_doc(&self) -> String {
        format!(
            "Who may call each route: `access` of {} in apigen.toml (what it does not name \
             is the last role's).",
            self.name
        )
    }

    /// The doc line of `router()`, naming every route.
    pub fn routes_summary(&self) -> String {
        let mut routes = vec![
            format!("`GET POST /{}`", self.plural),
            format!("`GET PUT PATCH DELETE /{}/{{id}}`", self.plural),
        ];
        for list in &self.child_lists {
            routes.push(format!("`GET {}`", list.path));
        }
        for link in &self.links {
            routes.push(format!("`GET {}`", link.list_path));
            routes.push(format!("`PUT DELETE {}`", link.item_path));
        }
        routes.join(", ") + "."
    }

    /// Whether some read of the resource is cached (`cache`).
    pub fn is_cached(&self) -> bool {
        self.cache_seconds().is_some()
    }

    /// How long its cached reads may be kept.
    pub fn cache_seconds(&self) -> Option<u32> {
        self.cache_list.or(self.cache_get)
    }

    /// The `use` items of `src/routes/<plural>.rs` besides the prelude: entities, its
    /// hooks, its models, and other resources' response types (embedded rows, and the
    /// pages of linked ones).
    pub fn route_uses(&self, plan: &Plan) -> Vec<Use> {
        let hooks = format!("crate::hooks::{}", self.module);
        let mut uses = vec![
            self.route_entities(),
            Use::new(hooks, [self.hooks_type.clone()]),
        ];
        let mut models: Vec<(String, Vec<String>)> = vec![(
            self.module.clone(),
            vec![
                self.create_type.clone(),
                self.patch_type.clone(),
                self.name.clone(),
                self.page_type(),
                self.replace_type.clone(),
            ],
        )];
        for include in &self.includes {
            let Some(target) = plan.resources.iter().find(|t| t.name == include.target) else {
                continue;
            };
            let mut types = vec![target.name.clone()];
            if include.is_many() {
                types.push(target.page_type());
            }
            match models.iter_mut().find(|(m, _)| *m == target.module) {
                Some((_, existing)) => existing.extend(types),
                None => models.push((target.module.clone(), types)),
            }
        }
        models.sort_by(|a, b| names::use_order(&a.0, &b.0));
        for (module, types) in models {
            uses.push(Use::new(format!("crate::models::{module}"), types));
        }
        uses
    }
}

impl ChildListPlan {
    /// The list's path under parent `{parent}`, for a `format!` of the tests.
    pub fn test_path(&self, base_path: &str) -> String {
        format!("{base_path}{}", self.path.replace("{id}", "{parent}"))
    }
}

impl ResourcePlan {
    /// The test of the lists' plans needs a row of its own: a link list is under one,
    /// and a list under its owner takes the owner from one.
    pub fn plans_test_needs_a_row(&self) -> bool {
        !self.links.is_empty() || self.child_lists.iter().any(|list| list.owner)
    }

    /// A sortable field other than id, for the test of `after` with `sort`.
    pub fn other_sort_field(&self) -> Option<String> {
        self.list_fields()
            .into_iter()
            .find(|f| f.name != "id" && f.sortable())
            .map(|f| f.name)
    }

    /// A field a response shows that no list may filter on.
    pub fn private_field(&self) -> Option<&FieldPlan> {
        self.fields.iter().find(|f| f.private)
    }
}

impl ResourcePlan {
    /// Which list filters an index serves, and which scan the table, for the README.
    pub fn index_note(&self) -> String {
        let fields = self.list_fields();
        let indexed: Vec<String> = fields
            .iter()
            .filter(|f| f.indexed)
            .map(|f| format!("`{}`", f.name))
            .collect();
        let scanned: Vec<String> = fields
            .iter()
            .filter(|f| !f.indexed && !f.operators.is_empty())
            .map(|f| format!("`{}`", f.name))
            .collect();
        let includes = if self.has_includes() {
            format!(
                " `?include=` takes {}.",
                self.include_names()
                    .iter()
                    .map(|name| format!("`{name}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        } else {
            String::new()
        };
        let scan = if scanned.is_empty() {
            String::new()
        } else {
            format!(
                " Filters and sorts on {} scan the table (add `index = true` to the field \
                 to serve them).",
                scanned.join(", ")
            )
        };
        format!(
            "An index serves `=`, ranges, `in` and sorting on {}; `contains` always scans.{scan}{includes}",
            indexed.join(", ")
        )
    }
}
