//! The member names of an operation's input, for surfaces that build AWS requests from other
//! shapes (the REST admin API's partial updates keep only what the update accepts).

use super::schema::Kind;
use super::Model;

impl Model {
    /// The wire names of `op`'s input members; empty for an unknown operation.
    pub fn input_members(&self, op: &str) -> Vec<&str> {
        let Some(id) = self.schema.operations.get(op).and_then(|o| o.input) else {
            return Vec::new();
        };
        match &self.schema.shapes[id].kind {
            Kind::Structure(st) => st.members.iter().map(|m| m.name.as_str()).collect(),
            _ => Vec::new(),
        }
    }
}
