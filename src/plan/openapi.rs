//! What the OpenAPI document needs from each field: its schema type where utoipa cannot
//! see it through a type alias, and the rules a body's schema states.

use crate::names;

use super::FieldPlan;

/// Where a field's schema is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// A response: the type only.
    Response,
    /// A create or replace body: the type and its rules.
    Create,
    /// A PATCH body: `Patch<T>` described as `T`, with the rules.
    Patch,
    /// A PUT body that keeps private fields: each one as in a PATCH (left out, it keeps
    /// its value), every other field as in a create.
    Replace,
}

impl FieldPlan {
    /// The JSON schema type of the field's value, as utoipa names it in `value_type`,
    /// and the format that goes with it (`("String", Some("DateTime"))`).
    pub fn schema_value_type(&self) -> (String, Option<&'static str>) {
        match self.scalar.and_then(|scalar| scalar.spec().value_type) {
            Some((value_type, format)) => (value_type.to_string(), format),
            None => (self.rust_type.clone(), None),
        }
    }
}

/// One route as the OpenAPI document describes it: what `#[utoipa::path]` says on its
/// handler, and what apigen writes to `openapi.json`.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `get`, `post`...
    pub method: &'static str,
    /// With the base path: `/v1/posts/{id}`.
    pub path: String,
    /// The handler's name in its module, and the operation id (`list_posts`).
    pub handler: String,
    pub operation_id: String,
    pub tag: String,
    pub summary: String,
    /// Path ids: name and description.
    pub path_params: Vec<(String, String)>,
    /// The `IntoParams` type of its query parameters (`PostListQuery`).
    pub query: Option<String>,
    /// The request body's schema (`CreatePost`).
    pub body: Option<String>,
    pub responses: Vec<Response>,
    /// Needs a bearer token.
    pub secured: bool,
}

/// One documented answer of an operation.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub description: String,
    /// The body's schema: a type, or the problem of an error.
    pub body: Option<String>,
    /// A 201's `Location` header.
    pub location: bool,
    /// The answer is one of [`SHARED_PROBLEMS`]: its type's name.
    pub shared: Option<&'static str>,
}

/// An error answer many operations give alike, declared once in the generated
/// `src/error.rs` (`crate::error::responses`) and named by each operation that gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SharedProblem {
    pub status: u16,
    /// The type that declares it (`NotFound`).
    pub name: &'static str,
    pub description: &'static str,
}

const fn shared(status: u16, name: &'static str, description: &'static str) -> SharedProblem {
    SharedProblem {
        status,
        name,
        description,
    }
}

/// Every shared error answer, by status.
pub const SHARED_PROBLEMS: [SharedProblem; 10] = [
    shared(400, "BadRequest", "A malformed id, query parameter or body"),
    shared(401, "Unauthorized", "No valid bearer token"),
    shared(
        403,
        "Forbidden",
        "The caller's role or ownership does not allow it",
    ),
    shared(404, "NotFound", "No such row"),
    shared(
        409,
        "Conflict",
        "A unique field is taken, or a referenced row does not exist or is still referenced",
    ),
    shared(413, "PayloadTooLarge", "The body is larger than the limit"),
    shared(415, "UnsupportedMediaType", "The body is not JSON"),
    shared(
        422,
        "Unprocessable",
        "A field breaks a rule; each one is listed",
    ),
    shared(
        429,
        "TooManyRequests",
        "Too many requests: wait for Retry-After seconds",
    ),
    shared(
        503,
        "Unavailable",
        "The database is unavailable, or the request took too long: retry after Retry-After \
         seconds",
    ),
];

impl Response {
    fn ok(status: u16, description: impl Into<String>, body: Option<&str>) -> Response {
        Response {
            status,
            description: description.into(),
            body: body.map(str::to_string),
            location: false,
            shared: None,
        }
    }

    fn problem(status: u16, description: &str) -> Response {
        Response::ok(status, description, Some("Problem"))
    }

    pub fn is_problem(&self) -> bool {
        self.body.as_deref() == Some("Problem")
    }
}

/// The answer of a cached read whose `ETag` the client already holds.
fn not_modified() -> Response {
    let description = "Not modified: If-None-Match holds the current ETag (anonymous reads)";
    Response::ok(304, description, None)
}

/// The error answers an operation may give, by status.
fn problems(statuses: &[u16], auth: bool) -> Vec<Response> {
    let mut all: Vec<u16> = statuses.to_vec();
    if auth {
        all.extend([401, 403]);
    }
    if statuses.contains(&415) {
        all.push(413);
    }
    // Any request may meet the rate limit, and the database may be down.
    all.extend([429, 503]);
    all.sort_unstable();
    all.dedup();
    all.into_iter()
        .map(|status| {
            let shared = SHARED_PROBLEMS.iter().find(|p| p.status == status);
            let shared = shared.expect("every status an operation gives alike is shared");
            let mut response = Response::problem(status, shared.description);
            response.shared = Some(shared.name);
            response
        })
        .collect()
}

impl super::Plan {
    /// Every operation of resource `r`'s routes, keyed by handler: what [`Plan::build`]
    /// keeps in `r.operations`.
    ///
    /// [`Plan::build`]: super::Plan::build
    pub(super) fn operations(&self, r: &super::ResourcePlan) -> Vec<Operation> {
        let auth = self.auth.is_some();
        let base = &self.base_path;
        let plural = &r.plural;
        let words = r.plural_words();
        let one = r.a_words_lower();
        let secured = |rule: Option<&super::RulePlan>| rule.is_some_and(|rule| !rule.public);
        let access = r.access.as_ref();
        let id = || vec![("id".to_string(), format!("The id of {one}"))];
        let module = r.snake();
        let op = |method, path: String, handler: &str, summary: String| Operation {
            method,
            path: format!("{base}{path}"),
            handler: handler.to_string(),
            operation_id: operation_id(handler, module, plural),
            tag: plural.clone(),
            summary,
            path_params: Vec::new(),
            query: None,
            body: None,
            responses: Vec::new(),
            secured: false,
        };
        let list_path = format!("/{plural}");
        let item_path = format!("/{plural}/{{id}}");
        let mut ops = Vec::new();

        let mut list = op("get", list_path.clone(), "list", format!("List {words}"));
        list.query = Some(format!("{}ListQuery", r.name));
        list.responses = vec![Response::ok(
            200,
            format!("A page of {words}"),
            Some(&r.page_type()),
        )];
        if r.cache_list.is_some() {
            list.responses.push(not_modified());
        }
        list.responses.extend(problems(&[400], auth));
        list.secured = secured(access.map(|a| &a.list));
        ops.push(list);

        if !r.is_user {
            let mut create = op("post", list_path.clone(), "create", format!("Create {one}"));
            create.body = Some(r.create_type.clone());
            let mut created = Response::ok(201, format!("The new {}", r.words), Some(&r.name));
            created.location = true;
            create.responses = vec![created];
            create
                .responses
                .extend(problems(&[400, 409, 415, 422], auth));
            create.secured = secured(access.map(|a| &a.create));
            ops.push(create);
        }

        let mut read = op("get", item_path.clone(), "read", format!("Read {one}"));
        read.path_params = id();
        if r.has_includes() {
            read.query = Some(format!("{}IncludeQuery", r.name));
        }
        read.responses = vec![Response::ok(200, format!("The {}", r.words), Some(&r.name))];
        if r.cache_get.is_some() {
            read.responses.push(not_modified());
        }
        read.responses.extend(problems(&[400, 404], auth));
        read.secured = secured(access.map(|a| &a.get));
        ops.push(read);

        let writes = [
            ("put", "replace", format!("Replace {one}"), r.replace_body()),
            (
                "patch",
                "update",
                format!("Update some fields of {one}"),
                r.patch_type.clone(),
            ),
        ];
        for (method, handler, summary, body) in writes {
            let mut write = op(method, item_path.clone(), handler, summary);
            write.path_params = id();
            write.body = Some(body);
            write.responses = vec![Response::ok(
                200,
                format!("The {}, changed", r.words),
                Some(&r.name),
            )];
            write
                .responses
                .extend(problems(&[400, 404, 409, 415, 422], auth));
            write.secured = secured(access.map(|a| &a.update));
            ops.push(write);
        }

        let mut delete = op("delete", item_path, "delete", format!("Delete {one}"));
        delete.path_params = id();
        delete.responses = vec![Response::ok(204, "Deleted", None)];
        delete.responses.extend(problems(&[400, 404, 409], auth));
        delete.secured = secured(access.map(|a| &a.delete));
        ops.push(delete);

        for list in &r.child_lists {
            let summary = format!(
                "List the {words} of {}",
                names::with_article(&list.parent_words)
            );
            let mut nested = op("get", list.path.clone(), &list.handler, summary);
            nested.path_params = vec![(
                "id".to_string(),
                format!("The id of {}", names::with_article(&list.parent_words)),
            )];
            nested.query = Some(format!("{}ListQuery", r.name));
            nested.responses = vec![Response::ok(
                200,
                format!("A page of {words}"),
                Some(&r.page_type()),
            )];
            nested.responses.extend(problems(&[400, 404], auth));
            nested.secured = secured(access.map(|a| &a.list));
            ops.push(nested);
        }

        for link in &r.links {
            let target = self.resources.iter().find(|t| t.name == link.target);
            let target_words = target.map_or(link.field.clone(), |t| t.plural_words());
            let target_page = target.map_or(String::new(), |t| t.page_type());
            let mut listed = op(
                "get",
                link.list_path.clone(),
                &format!("list_{}", link.snake),
                format!("List the {target_words} linked to {one}"),
            );
            listed.path_params = id();
            listed.query = Some(format!(
                "super::{}::{}ListQuery",
                link.target_routes, link.target
            ));
            listed.responses = vec![Response::ok(
                200,
                format!("A page of {target_words}"),
                Some(&target_page),
            )];
            listed.responses.extend(problems(&[400, 404], auth));
            listed.secured = secured(access.map(|a| &a.get));
            ops.push(listed);
            let other = (
                link.param.clone(),
                format!("The id of {}", names::with_article(&link.target_words)),
            );
            let changes = [
                (
                    "put",
                    format!("link_{}", link.snake),
                    format!("Link {} to {one}", names::with_article(&link.target_words)),
                    "Linked",
                ),
                (
                    "delete",
                    format!("unlink_{}", link.snake),
                    format!(
                        "Unlink {} from {one}",
                        names::with_article(&link.target_words)
                    ),
                    "Not linked",
                ),
            ];
            for (method, handler, summary, done) in changes {
                let mut change = op(method, link.item_path.clone(), &handler, summary);
                change.path_params = vec![id().remove(0), other.clone()];
                change.responses = vec![Response::ok(204, done, None)];
                change.responses.extend(problems(&[400, 404], auth));
                change.secured = secured(access.map(|a| &a.update));
                ops.push(change);
            }
        }
        ops
    }

    /// The operations under `/auth`: register, login, refresh, logout, the caller's
    /// sessions, and me.
    pub fn auth_operations(&self) -> Vec<Operation> {
        if self.auth.is_none() {
            return Vec::new();
        }
        let base = &self.base_path;
        let op = |method, path: &str, handler: &str, summary: &str| Operation {
            method,
            path: format!("{base}{path}"),
            handler: handler.to_string(),
            operation_id: handler.to_string(),
            tag: "auth".to_string(),
            summary: summary.to_string(),
            path_params: Vec::new(),
            query: None,
            body: None,
            responses: Vec::new(),
            secured: false,
        };
        let mut register = op(
            "post",
            "/auth/register",
            "register",
            "Register a user, with the first role",
        );
        register.body = Some("RegisterUser".to_string());
        let mut created = Response::ok(201, "The new user", Some("User"));
        created.location = true;
        register.responses = vec![created];
        // A registration may not set a field only some roles may (`writable`): 403.
        let writes = self
            .user()
            .is_some_and(|u| !u.create_write_checks().is_empty());
        let statuses: &[u16] = if writes {
            &[400, 403, 409, 415, 422]
        } else {
            &[400, 409, 415, 422]
        };
        register.responses.extend(problems(statuses, false));
        let mut login = op("post", "/auth/login", "login", "Log in: a bearer token");
        login.body = Some("Login".to_string());
        login.responses = vec![Response::ok(
            200,
            "An access token, a refresh token, and the user",
            Some("LoggedIn"),
        )];
        login
            .responses
            .extend(problems(&[400, 401, 415, 422, 429], false));
        let mut refresh = op(
            "post",
            "/auth/refresh",
            "refresh",
            "Refresh: new tokens for a refresh token, which is spent",
        );
        refresh.body = Some("Refresh".to_string());
        refresh.responses = vec![Response::ok(
            200,
            "New tokens, and the user",
            Some("LoggedIn"),
        )];
        refresh.responses.extend(problems(&[400, 415, 422], false));
        refresh.responses.push(Response::problem(
            401,
            "No live session holds this refresh token (a spent one ends its session)",
        ));
        refresh.responses.sort_by_key(|response| response.status);
        let mut sessions = op(
            "get",
            "/auth/sessions",
            "sessions",
            "The caller's login sessions",
        );
        sessions.responses = vec![Response::ok(
            200,
            "The caller's sessions, newest first",
            Some("AuthSessionList"),
        )];
        sessions.responses.extend(problems(&[401], false));
        sessions.secured = true;
        let mut end_session = op(
            "delete",
            "/auth/sessions/{id}",
            "end_session",
            "End one of the caller's sessions",
        );
        end_session.path_params = vec![("id".to_string(), "The id of a session".to_string())];
        end_session.responses = vec![Response::ok(204, "The session is ended", None)];
        end_session.responses.extend(problems(&[400, 401], false));
        end_session
            .responses
            .push(Response::problem(404, "No such session of the caller's"));
        end_session
            .responses
            .sort_by_key(|response| response.status);
        end_session.secured = true;
        let mut change_password = op(
            "post",
            "/auth/password",
            "change_password",
            "Change the caller's password: their other sessions end",
        );
        change_password.body = Some("ChangePassword".to_string());
        change_password.responses = vec![Response::ok(
            200,
            "New tokens for this session, and the user",
            Some("LoggedIn"),
        )];
        change_password
            .responses
            .extend(problems(&[400, 401, 415, 422], false));
        change_password.secured = true;
        let mut logout = op(
            "post",
            "/auth/logout",
            "logout",
            "Log out: end the session of the token sent",
        );
        logout.responses = vec![Response::ok(204, "The session is ended", None)];
        logout.responses.extend(problems(&[401], false));
        logout.secured = true;
        let mut me = op("get", "/auth/me", "me", "The caller's own user");
        me.responses = vec![Response::ok(200, "The caller's user", Some("User"))];
        me.responses.extend(problems(&[401], false));
        me.secured = true;
        if self.registration_open() {
            vec![
                register,
                login,
                refresh,
                logout,
                sessions,
                end_session,
                change_password,
                me,
            ]
        } else {
            vec![
                login,
                refresh,
                logout,
                sessions,
                end_session,
                change_password,
                me,
            ]
        }
    }
}

/// `list_posts`, `create_post`, `list_posts_by_author`, `link_post_tags`.
fn operation_id(handler: &str, module: &str, plural: &str) -> String {
    if handler == "list" {
        return format!("list_{plural}");
    }
    if let Some(parent) = handler.strip_prefix("list_by_") {
        return format!("list_{plural}_by_{parent}");
    }
    match handler.split_once('_') {
        Some((verb, field)) => format!("{verb}_{module}_{field}"),
        None => format!("{handler}_{module}"),
    }
}

impl super::ResourcePlan {
    /// The body schema of a PUT: the create body, or its own (User's, and that of a
    /// resource with private fields).
    pub fn replace_body(&self) -> String {
        if self.is_user || self.has_own_replace_type() {
            self.replace_type.clone()
        } else {
            self.create_type.clone()
        }
    }
}

impl super::Plan {
    /// The operation of handler `handler` of resource `r`.
    pub fn operation<'r>(
        &self,
        r: &'r super::ResourcePlan,
        handler: &str,
    ) -> Option<&'r Operation> {
        r.operations.iter().find(|op| op.handler == handler)
    }

    /// The operation of a link route (`verb`: list, link or unlink).
    pub fn link_operation<'r>(
        &self,
        r: &'r super::ResourcePlan,
        verb: &str,
        link: &super::LinkPlan,
    ) -> Option<&'r Operation> {
        self.operation(r, &format!("{verb}_{}", link.snake))
    }

    /// The operation of an auth route.
    pub fn auth_operation(&self, handler: &str) -> Option<Operation> {
        self.auth_operations()
            .into_iter()
            .find(|op| op.handler == handler)
    }
}

impl super::Plan {
    /// The document's description: what the API is, in one line.
    pub fn api_description(&self) -> String {
        let names: Vec<&str> = self.resources.iter().map(|r| r.plural.as_str()).collect();
        format!(
            "The {} API, generated by apigen: {}.",
            self.crate_name,
            names.join(", ")
        )
    }
}
