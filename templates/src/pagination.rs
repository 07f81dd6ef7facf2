// {{ header }} Do not edit: change apigen.toml instead.
use serde::{Deserialize, Serialize};

use crate::error::ApiError;

pub const DEFAULT_PER_PAGE: u64 = 20;
pub const MAX_PER_PAGE: u64 = 100;
/// Keeps the row offset far inside what every database accepts.
pub const MAX_PAGE: u64 = 1_000_000_000;

/// `?page=&per_page=` of a list route: page from 1, per_page capped at 100.
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct PageParams {
    page: Option<u64>,
    per_page: Option<u64>,
}

impl PageParams {
    /// The 1-based page number, or 400 when out of range.
    pub fn page(&self) -> Result<u64, ApiError> {
        match self.page {
            None => Ok(1),
            Some(0) => Err(ApiError::bad_request("page must be 1 or more")),
            Some(page) if page > MAX_PAGE => {
                let detail = format!("page must be at most {MAX_PAGE}");
                Err(ApiError::bad_request(detail))
            }
            Some(page) => Ok(page),
        }
    }

    /// Rows per page: 20 by default, at most 100, or 400 for 0.
    pub fn per_page(&self) -> Result<u64, ApiError> {
        match self.per_page {
            None => Ok(DEFAULT_PER_PAGE),
            Some(0) => Err(ApiError::bad_request("per_page must be 1 or more")),
            Some(per_page) => Ok(per_page.min(MAX_PER_PAGE)),
        }
    }
}

/// One page of a list.
#[derive(Debug, Serialize)]
pub struct Page<T> {
    pub data: Vec<T>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
}
