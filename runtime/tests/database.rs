//! The fixed code against a real database (SQLite, in a file): a table made by the
//! migration kit, listed with filters, sorting and pages, then rebuilt.

use apigen_runtime::migrations::kit;
use apigen_runtime::query::{Field, Kind, ListParams};
use axum::extract::FromRequestParts;
use axum::http::Request;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, EntityTrait};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_pk_auto, integer, string_len};

mod note {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "notes")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub title: String,
        pub rank: Option<i32>,
    }

    impl ActiveModelBehavior for ActiveModel {}
}

static FIELDS: [Field<note::Column>; 3] = [
    Field::required("id", note::Column::Id, Kind::Integer),
    Field::required("title", note::Column::Title, Kind::Text),
    Field::optional("rank", note::Column::Rank, Kind::Integer),
];

fn notes_table() -> kit::TableDef {
    let table = Table::create()
        .table("notes")
        .col(big_pk_auto("id"))
        .col(string_len("title", 200))
        .col(integer("rank").null())
        .to_owned();
    let mut def = kit::TableDef::new("notes", table);
    def.index("idx_notes_title", "title", false);
    def
}

/// A new database file with the table `notes` and five rows, `rank` empty on one.
async fn database(name: &str) -> DatabaseConnection {
    let path =
        std::env::temp_dir().join(format!("apigen-runtime-{}-{name}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let db = Database::connect(url).await.expect("SQLite opens");
    kit::foreign_keys(&db, false)
        .await
        .expect("the keys turn off");
    let manager = SchemaManager::new(&db);
    kit::create_table(&manager, notes_table())
        .await
        .expect("the table is made");
    let rows = "INSERT INTO notes (title, rank) VALUES \
                ('a', 3), ('b', NULL), ('c', 1), ('d', 5), ('e', 2)";
    db.execute_unprepared(rows).await.expect("rows go in");
    db
}

/// The titles of the page `query` asks for, and the page's total.
async fn list(db: &DatabaseConnection, query: &str) -> (Vec<String>, Option<u64>, Option<String>) {
    let request = Request::get(format!("/notes?{query}"))
        .body(())
        .expect("a request");
    let (mut parts, ()) = request.into_parts();
    let params = ListParams::from_request_parts(&mut parts, &())
        .await
        .expect("a query string");
    let query = params
        .parse(DbBackend::Sqlite, &FIELDS, &[])
        .expect("a valid query");
    let page = query
        .fetch(db, note::Entity::find())
        .await
        .expect("the page");
    let titles = page.data.into_iter().map(|row| row.title).collect();
    (titles, page.total, page.links.next)
}

#[tokio::test]
async fn a_list_filters_sorts_and_pages_as_its_query_says() {
    let db = database("list").await;
    let (titles, total, _) = list(&db, "").await;
    assert_eq!(titles, ["a", "b", "c", "d", "e"]);
    assert_eq!(total, Some(5));

    let (titles, total, next) = list(&db, "rank.gt=1&sort=-rank&per_page=2").await;
    assert_eq!(titles, ["d", "a"]);
    assert_eq!(total, Some(3), "the rows every page holds");
    assert_eq!(
        next.as_deref(),
        Some("/notes?rank.gt=1&sort=-rank&page=2&per_page=2")
    );

    // An empty rank sorts last going up.
    let (titles, _, _) = list(&db, "sort=rank").await;
    assert_eq!(titles, ["c", "e", "a", "d", "b"]);
    let (titles, _, _) = list(&db, "rank.null=true").await;
    assert_eq!(titles, ["b"]);
    let (titles, total, _) = list(&db, "after=3&per_page=1").await;
    assert_eq!((titles, total), (vec!["d".to_owned()], None));
}

#[tokio::test]
async fn a_list_query_naming_what_is_not_there_is_refused() {
    for (query, param) in [
        ("colour=red", "colour"),
        ("rank.gt=high", "rank.gt"),
        ("sort=colour", "sort"),
        ("page=0", "page"),
        ("per_page=-1", "per_page"),
        ("page=2&after=1", "after"),
    ] {
        let request = Request::get(format!("/notes?{query}"))
            .body(())
            .expect("a request");
        let (mut parts, ()) = request.into_parts();
        let params = ListParams::from_request_parts(&mut parts, &())
            .await
            .expect("a query");
        let err = params.parse(DbBackend::Sqlite, &FIELDS, &[]).err();
        let err = err.unwrap_or_else(|| panic!("{query} is refused"));
        assert_eq!(err.status().as_u16(), 400, "{query}");
        let names = format!("{err:?}");
        assert!(names.contains(param), "{query}: {names}");
    }
}

#[tokio::test]
async fn a_rebuild_keeps_every_row_and_refuses_a_column_it_did_not_make() {
    let db = database("rebuild").await;
    let manager = SchemaManager::new(&db);
    db.execute_unprepared("ALTER TABLE notes ADD COLUMN mine TEXT")
        .await
        .expect("a column of the user's own");
    let refused = kit::rebuild_table(&manager, notes_table(), &[]).await;
    let message = refused.expect_err("the rebuild refuses").to_string();
    assert!(message.contains("mine"), "{message}");
    assert!(message.contains("nothing"), "{message}");
    let (titles, _, _) = list(&db, "").await;
    assert_eq!(titles.len(), 5);

    // Named as removed, the column goes; every row and the index stay.
    kit::rebuild_table(&manager, notes_table(), &["mine"])
        .await
        .expect("the rebuild");
    let (titles, _, _) = list(&db, "sort=-id").await;
    assert_eq!(titles, ["e", "d", "c", "b", "a"]);
    assert!(!manager.has_column("notes", "mine").await.expect("columns"));
    assert!(
        manager
            .has_index("notes", "idx_notes_title")
            .await
            .expect("indexes")
    );
    // The id counter goes on after the last id.
    db.execute_unprepared("INSERT INTO notes (title) VALUES ('f')")
        .await
        .expect("a row");
    let (titles, _, _) = list(&db, "id.gt=5").await;
    assert_eq!(titles, ["f"]);
}
