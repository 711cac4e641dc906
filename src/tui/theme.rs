//! Themes: named styles for every role on screen, read from TOML files in `assets/themes`
//! (built into the binary). Colour never carries meaning alone: every role that matters
//! (right, wrong, crashed, partitioned) also has a symbol or word where it is drawn.

use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

/// The built-in themes: name and TOML source.
pub const BUILTIN: &[(&str, &str)] = &[
    ("dark", include_str!("../../assets/themes/dark.toml")),
    ("light", include_str!("../../assets/themes/light.toml")),
    (
        "projector",
        include_str!("../../assets/themes/projector.toml"),
    ),
    ("mono", include_str!("../../assets/themes/mono.toml")),
];

/// Styles for each role.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    pub base: Style,
    pub title: Style,
    pub heading: Style,
    pub subheading: Style,
    pub label: Style,
    pub dim: Style,
    pub accent: Style,
    pub code: Style,
    pub link: Style,
    pub right: Style,
    pub wrong: Style,
    pub warn: Style,
    pub border: Style,
    pub tab_active: Style,
    pub selected: Style,
    pub message: Style,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct StyleSpec {
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    bold: bool,
    #[serde(default)]
    italic: bool,
    #[serde(default)]
    dim: bool,
    #[serde(default)]
    underlined: bool,
    #[serde(default)]
    reversed: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    base: StyleSpec,
    title: StyleSpec,
    heading: StyleSpec,
    subheading: StyleSpec,
    label: StyleSpec,
    dim: StyleSpec,
    accent: StyleSpec,
    code: StyleSpec,
    link: StyleSpec,
    right: StyleSpec,
    wrong: StyleSpec,
    warn: StyleSpec,
    border: StyleSpec,
    tab_active: StyleSpec,
    selected: StyleSpec,
    message: StyleSpec,
}

/// A theme that does not exist or does not parse.
#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("unknown theme `{0}`; expected one of: {list}", list = names().join(", "))]
    Unknown(String),
    #[error("theme `{name}`: {message}")]
    Invalid { name: String, message: String },
}

/// The names of the built-in themes.
pub fn names() -> Vec<&'static str> {
    BUILTIN.iter().map(|(n, _)| *n).collect()
}

impl Theme {
    /// The built-in theme called `name`.
    pub fn builtin(name: &str) -> Result<Theme, ThemeError> {
        let (_, source) = BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| ThemeError::Unknown(name.into()))?;
        Theme::parse(name, source)
    }

    /// Parses a theme file.
    pub fn parse(name: &str, source: &str) -> Result<Theme, ThemeError> {
        let invalid = |message: String| ThemeError::Invalid {
            name: name.into(),
            message,
        };
        let f: ThemeFile = toml::from_str(source).map_err(|e| invalid(e.to_string()))?;
        let s = |spec: &StyleSpec| style(spec).map_err(invalid);
        Ok(Theme {
            name: name.to_owned(),
            base: s(&f.base)?,
            title: s(&f.title)?,
            heading: s(&f.heading)?,
            subheading: s(&f.subheading)?,
            label: s(&f.label)?,
            dim: s(&f.dim)?,
            accent: s(&f.accent)?,
            code: s(&f.code)?,
            link: s(&f.link)?,
            right: s(&f.right)?,
            wrong: s(&f.wrong)?,
            warn: s(&f.warn)?,
            border: s(&f.border)?,
            tab_active: s(&f.tab_active)?,
            selected: s(&f.selected)?,
            message: s(&f.message)?,
        })
    }

    /// A heartbeat: quieter than a message, but never in the links' (or lanes') style, so
    /// it does not melt into them: `dim`, or `base` where `dim` is the border's style.
    pub fn heartbeat(&self) -> Style {
        if self.dim == self.border {
            // Reset first: drawn over a link's cell, it must not keep the link's colour.
            Style::reset().patch(self.base)
        } else {
            self.dim
        }
    }

    /// True when this theme sets no colour at all (so NO_COLOR can use it as is).
    pub fn is_colourless(&self) -> bool {
        [
            self.base,
            self.title,
            self.heading,
            self.subheading,
            self.label,
            self.dim,
            self.accent,
            self.code,
            self.link,
            self.right,
            self.wrong,
            self.warn,
            self.border,
            self.tab_active,
            self.selected,
            self.message,
        ]
        .iter()
        .all(|s| s.fg.is_none() && s.bg.is_none())
    }
}

fn style(spec: &StyleSpec) -> Result<Style, String> {
    let colour = |c: &Option<String>| -> Result<Option<Color>, String> {
        c.as_deref()
            .map(|c| {
                Color::from_str(c).map_err(|_| format!("`{c}` is not a colour name or #rrggbb"))
            })
            .transpose()
    };
    let mut style = Style::default();
    if let Some(fg) = colour(&spec.fg)? {
        style = style.fg(fg);
    }
    if let Some(bg) = colour(&spec.bg)? {
        style = style.bg(bg);
    }
    let flags = [
        (spec.bold, Modifier::BOLD),
        (spec.italic, Modifier::ITALIC),
        (spec.dim, Modifier::DIM),
        (spec.underlined, Modifier::UNDERLINED),
        (spec.reversed, Modifier::REVERSED),
    ];
    for (on, m) in flags {
        if on {
            style = style.add_modifier(m);
        }
    }
    Ok(style)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_theme_parses() {
        for name in names() {
            Theme::builtin(name).unwrap_or_else(|e| panic!("{e}"));
        }
    }

    #[test]
    fn mono_has_no_colour_and_unknown_names_list_the_themes() {
        assert!(Theme::builtin("mono").unwrap().is_colourless());
        assert!(!Theme::builtin("dark").unwrap().is_colourless());
        let err = Theme::builtin("neon").unwrap_err().to_string();
        assert_eq!(
            err,
            "unknown theme `neon`; expected one of: dark, light, projector, mono"
        );
    }
}
