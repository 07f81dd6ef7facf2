// {{ header }} Do not edit: write your hooks in the other files of src/hooks/.
//! Your code around the generated handlers.
//!
//! Each resource has a file here that is yours: it implements [`Hooks`]
//! (override only the methods you need) and may add routes. Every hook runs
//! inside the request's transaction; an error aborts and rolls it back.
use std::future::Future;

use sea_orm::{DatabaseTransaction, EntityTrait};

use crate::error::ApiError;

{% for module in plan.sorted_modules() %}¶
pub mod {{ module }};
{% endfor %}¶

/// The row type of the resource a [`Hooks`] implementation is for.
pub type Model<H> = <<H as Hooks>::Entity as EntityTrait>::Model;

/// The changes about to be written for that resource.
pub type ActiveModel<H> = <<H as Hooks>::Entity as EntityTrait>::ActiveModel;

/// Hooks around the generated handlers of one resource; every method does
/// nothing unless you override it.
pub trait Hooks {
    type Entity: EntityTrait;

    /// Before a POST inserts `row`; may change it.
    fn before_create(
        txn: &DatabaseTransaction,
        row: &mut ActiveModel<Self>,
    ) -> impl Future<Output = Result<(), ApiError>> + Send {
        let _ = (txn, row);
        async { Ok(()) }
    }

    /// After a POST inserted `row`.
    fn after_create(
        txn: &DatabaseTransaction,
        row: &Model<Self>,
    ) -> impl Future<Output = Result<(), ApiError>> + Send {
        let _ = (txn, row);
        async { Ok(()) }
    }

    /// Before a PUT or PATCH writes `row`; may change it.
    fn before_update(
        txn: &DatabaseTransaction,
        row: &mut ActiveModel<Self>,
    ) -> impl Future<Output = Result<(), ApiError>> + Send {
        let _ = (txn, row);
        async { Ok(()) }
    }

    /// After a PUT or PATCH wrote `row`.
    fn after_update(
        txn: &DatabaseTransaction,
        row: &Model<Self>,
    ) -> impl Future<Output = Result<(), ApiError>> + Send {
        let _ = (txn, row);
        async { Ok(()) }
    }

    /// Before a DELETE removes `row`.
    fn before_delete(
        txn: &DatabaseTransaction,
        row: &Model<Self>,
    ) -> impl Future<Output = Result<(), ApiError>> + Send {
        let _ = (txn, row);
        async { Ok(()) }
    }

    /// After a DELETE removed `row`.
    fn after_delete(
        txn: &DatabaseTransaction,
        row: &Model<Self>,
    ) -> impl Future<Output = Result<(), ApiError>> + Send {
        let _ = (txn, row);
        async { Ok(()) }
    }
}
