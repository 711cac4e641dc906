//! The `added` field: a list of names of the text fields of its own table, the ones distlab
//! wrote (see `lesson::Origin`).

use toml::Spanned;
use toml::de::DeValue;

use super::{Field, Ty, Walker, expected};
use crate::sanitize::quote;

/// Fields that name things rather than hold text for the reader; `added` cannot list them.
pub(super) const NOT_TEXT: &[&str] = &["id", "scenario"];

impl Walker<'_> {
    /// `added` lists names of text fields of its own table, which has `fields`.
    pub(super) fn added(&mut self, v: &Spanned<DeValue<'_>>, fields: &[Field], place: &str) {
        let DeValue::Array(a) = v.get_ref() else {
            return self.wrong_type(v, "added", &expected(Ty::Added), place);
        };
        let names: Vec<String> = fields
            .iter()
            .filter(|f| matches!(f.ty, Ty::Text | Ty::Texts) && !NOT_TEXT.contains(&f.name))
            .map(|f| format!("`{}`", f.name))
            .collect();
        for (i, item) in a.iter().enumerate() {
            let Some(name) = item.get_ref().as_str() else {
                self.wrong_type(
                    item,
                    &format!("added[{i}]"),
                    "a field name in quotes",
                    place,
                );
                continue;
            };
            if !names.contains(&format!("`{name}`")) {
                let message = format!(
                    "`added` names `{}`, which is not a text field of this entry; expected one of {}",
                    quote(name),
                    names.join(", ")
                );
                self.report(item.span(), place, message);
            }
        }
    }
}
