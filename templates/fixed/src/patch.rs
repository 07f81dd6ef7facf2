// Do not edit: change apigen.toml instead.
use sea_orm::ActiveValue::{self, Set};
use sea_orm::Value;
use serde::{Deserialize, Deserializer};

/// One field of a PATCH body: absent (leave it), `null` (clear it) or a value.
///
/// Use with `#[serde(default)]`, so that an absent field stays [`Patch::Absent`].
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Patch<T> {
    #[default]
    Absent,
    Null,
    Value(T),
}

impl<T> Patch<T> {
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// The value sent, if any.
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// Writes a value into a required column; absent and `null` leave it
    /// (validation has already refused `null` for required fields).
    pub fn apply<V>(self, column: &mut ActiveValue<V>)
    where
        V: From<T> + Into<Value>,
    {
        if let Self::Value(value) = self {
            *column = Set(value.into());
        }
    }

    /// Writes into an optional column: `null` clears it.
    pub fn apply_optional<V>(self, column: &mut ActiveValue<Option<V>>)
    where
        V: From<T>,
        Option<V>: Into<Value>,
    {
        match self {
            Self::Absent => {}
            Self::Null => *column = Set(None),
            Self::Value(value) => *column = Set(Some(value.into())),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Option::<T>::deserialize(deserializer)?;
        Ok(value.map_or(Self::Null, Self::Value))
    }
}
