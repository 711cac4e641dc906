//! Role targets: a command may name a node by its role (`@primary`) instead of its name.
//! The role is resolved when the command is applied, at its time in the run, so `crash
//! @primary` after a failover crashes the node that is primary then, not the node called
//! `primary`. The command as written (with `@primary`) is what the command log keeps, so a
//! replay resolves it again, identically.

use super::{Command, Sim};
use crate::sanitize::quote;

/// The roles a command may name where it takes a node.
pub const ROLES: &[&str] = &["@primary"];

/// What a NODE argument may be, for usage text and errors.
pub const NODE_HELP: &str = "NODE (and FROM, TO, CLIENT) is a node's name, or @primary: \
                             whoever is primary when the command applies (replication)";

/// Checks that `s`, if it names a role (`@...`), names one of [`ROLES`].
pub(crate) fn check_role(s: &str) -> Result<(), String> {
    if !s.starts_with('@') || ROLES.contains(&s) {
        Ok(())
    } else {
        Err(format!(
            "unknown role `{}`; roles: {}",
            quote(s),
            ROLES.join(", ")
        ))
    }
}

impl Command {
    /// The arguments that name a node, in order (CLIENT of `write` included).
    fn nodes_mut(&mut self) -> Vec<&mut String> {
        match self {
            Command::Crash(n)
            | Command::Restart(n)
            | Command::Pause(n, _)
            | Command::Skew(n, _)
            | Command::Drift(n, _)
            | Command::StepClock(n, _)
            | Command::Resync(n, _)
            | Command::Slow(n, _)
            | Command::Read(n, _)
            | Command::Write(Some((n, _, _))) => vec![n],
            Command::Partition(ns) => ns.iter_mut().collect(),
            Command::PartitionOneway(a, b) | Command::DropNext(a, b) => vec![a, b],
            _ => Vec::new(),
        }
    }

    /// The arguments that name a node, as written.
    pub fn nodes(&self) -> Vec<String> {
        let mut c = self.clone();
        c.nodes_mut().into_iter().map(std::mem::take).collect()
    }

    /// Whether some node argument is a role (`@primary`) rather than a name.
    pub fn names_role(&self) -> bool {
        self.nodes().iter().any(|n| n.starts_with('@'))
    }

    /// This command with each node argument replaced by `f` of it.
    pub fn try_map_nodes(
        &self,
        mut f: impl FnMut(&str) -> Result<String, String>,
    ) -> Result<Command, String> {
        let mut c = self.clone();
        for n in c.nodes_mut() {
            *n = f(n)?;
        }
        Ok(c)
    }
}

/// `@primary = n2`: each role of `written` and the node it resolved to in
/// `resolved`, once each, in order.
pub fn role_bindings(written: &Command, resolved: &Command) -> String {
    let mut seen: Vec<String> = Vec::new();
    for (w, r) in written.nodes().into_iter().zip(resolved.nodes()) {
        let binding = format!("{w} = {r}");
        if w.starts_with('@') && !seen.contains(&binding) {
            seen.push(binding);
        }
    }
    seen.join(", ")
}

impl Sim {
    /// The node a role names now, by name: `@primary` is the current primary.
    fn role_node(&self, role: &str) -> Result<String, String> {
        check_role(role)?;
        match self.primary() {
            Some(p) => Ok(self.node_name(p).to_string()),
            None => Err(format!(
                "{role}: this scenario has no primary (kind = {})",
                self.params.kind
            )),
        }
    }

    /// `cmd` with every role replaced by the node it names now; names are left as they are
    /// (they are checked by [`Sim::check_command`]).
    pub fn resolve(&self, cmd: &Command) -> Result<Command, String> {
        cmd.try_map_nodes(|n| {
            if n.starts_with('@') {
                self.role_node(n)
            } else {
                Ok(n.to_string())
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{Kind, Params};

    fn sim(kind: Kind) -> Sim {
        let p = Params {
            kind,
            ..Params::default()
        };
        Sim::new(p, 1, vec![])
    }

    #[test]
    fn primary_resolves_to_the_current_primary() {
        let mut s = sim(Kind::Replication);
        let c = Command::parse("partition-oneway @primary n3").unwrap();
        assert!(c.names_role());
        let r = s.resolve(&c).unwrap();
        assert_eq!(r.to_string(), "partition-oneway n1 n3");
        assert!(!r.names_role());
        s.rep.primary = 1;
        let r = s.resolve(&c).unwrap();
        assert_eq!(r.to_string(), "partition-oneway n2 n3");
        assert_eq!(role_bindings(&c, &r), "@primary = n2");
        let both = Command::parse("drop-next @primary @primary").unwrap();
        let r = s.resolve(&both).unwrap();
        assert_eq!(role_bindings(&both, &r), "@primary = n2");
    }

    #[test]
    fn names_pass_through_and_other_arguments_are_not_nodes() {
        let s = sim(Kind::Replication);
        for text in ["crash nobody", "set drop 0.5", "heal", "read n2 y"] {
            let c = Command::parse(text).unwrap();
            assert!(!c.names_role());
            assert_eq!(s.resolve(&c).unwrap(), c);
        }
        let c = Command::parse("write c1 x 5").unwrap();
        assert_eq!(c.nodes(), ["c1"]);
    }

    #[test]
    fn kinds_without_a_primary_refuse_it() {
        for (kind, name) in [
            (Kind::Detector, "detector"),
            (Kind::Checkout, "checkout"),
            (Kind::Sharding, "sharding"),
        ] {
            let e = sim(kind)
                .resolve(&Command::parse("crash @primary").unwrap())
                .unwrap_err();
            assert_eq!(
                e,
                format!("@primary: this scenario has no primary (kind = {name})")
            );
        }
    }

    #[test]
    fn unknown_roles_list_the_roles() {
        let e = Command::parse("crash @leader").unwrap_err();
        assert_eq!(e, "unknown role `@leader`; roles: @primary");
        let e = Command::parse("partition n2 @leader").unwrap_err();
        assert!(e.contains("unknown role `@leader`"), "{e}");
        let e = sim(Kind::Replication)
            .resolve(&Command::Crash("@leader".into()))
            .unwrap_err();
        assert_eq!(e, "unknown role `@leader`; roles: @primary");
    }
}
