// {{ header }}
// Do not edit: write your hooks in the other files of src/hooks/.
//! Your code around the generated handlers.
//!
//! Each resource has a file here that is yours: it implements [`Hooks`]
//! (override only the methods you need) and may add routes. Every hook runs
//! inside the request's transaction; an error aborts and rolls it back.
{% if plan.auth.is_some() %}¶
//!
//! Each hook comes in two forms: `before_create(txn, row)`, and
//! `before_create_as(txn, caller, row)`, which also receives who called (`None`
//! for an anonymous caller, a registration or `create-user`) so that your code
//! can apply rules of its own. The handlers call the `_as` form, which calls the
//! short one unless you override it: override one form of each hook.
{% endif %}¶
use std::future::Future;

use sea_orm::{DatabaseTransaction, EntityTrait};

{% if plan.auth.is_some() %}¶
use crate::auth::Caller;
{% endif %}¶
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
{% if plan.auth.is_some() %}¶

    /// Before a POST of `caller` inserts `row`; may change it, or refuse with an
    /// error. Calls [`Self::before_create`] unless you override it.
    fn before_create_as(
        txn: &DatabaseTransaction,
        caller: Option<&Caller>,
        row: &mut ActiveModel<Self>,
    ) -> impl Future<Output = Result<(), ApiError>> + Send {
        let _ = caller;
        Self::before_create(txn, row)
    }

    /// After a POST of `caller` inserted `row`. Calls [`Self::after_create`] unless
    /// you override it.
    fn after_create_as(
        txn: &DatabaseTransaction,
        caller: Option<&Caller>,
        row: &Model<Self>,
    ) -> impl Future<Output = Result<(), ApiError>> + Send {
        let _ = caller;
        Self::after_create(txn, row)
    }

    /// Before a PUT or PATCH of `caller` writes `row`; may change it, or refuse with
    /// an error. Calls [`Self::before_update`] unless you override it.
    fn before_update_as(
        txn: &DatabaseTransaction,
        caller: Option<&Caller>,
        row: &mut ActiveModel<Self>,
    ) -> impl Future<Output = Result<(), ApiError>> + Send {
        let _ = caller;
        Self::before_update(txn, row)
    }

    /// After a PUT or PATCH of `caller` wrote `row`. Calls [`Self::after_update`]
    /// unless you override it.
    fn after_update_as(
        txn: &DatabaseTransaction,
        caller: Option<&Caller>,
        row: &Model<Self>,
    ) -> impl Future<Output = Result<(), ApiError>> + Send {
        let _ = caller;
        Self::after_update(txn, row)
    }

    /// Before a DELETE of `caller` removes `row`; may refuse with an error. Calls
    /// [`Self::before_delete`] unless you override it.
    fn before_delete_as(
        txn: &DatabaseTransaction,
        caller: Option<&Caller>,
        row: &Model<Self>,
    ) -> impl Future<Output = Result<(), ApiError>> + Send {
        let _ = caller;
        Self::before_delete(txn, row)
    }

    /// After a DELETE of `caller` removed `row`. Calls [`Self::after_delete`] unless
    /// you override it.
    fn after_delete_as(
        txn: &DatabaseTransaction,
        caller: Option<&Caller>,
        row: &Model<Self>,
    ) -> impl Future<Output = Result<(), ApiError>> + Send {
        let _ = caller;
        Self::after_delete(txn, row)
    }
{% endif %}¶
}
