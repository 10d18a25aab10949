//! Who may do what, and where. Every request runs as an [`Actor`]: a role that may perform
//! some [`Action`]s, bound to a [`Scope`] (a subtree of the organisation). The data layer turns
//! the scope into one SQL filter ([`Scope::filter`]) used by lists, single reads and writes
//! alike, so they cannot disagree.

use serde::{Deserialize, Serialize};

use crate::Role;

/// The part of the organisation an account is bound to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    /// Everything (system administrators).
    All,
    /// A city's districts (a city organisation department).
    City(i64),
    /// A district (district organisation department, inspection bureau).
    District(i64),
    /// One township (镇/街道).
    Township(i64),
    /// The secretaries one dispatching unit sent (派出单位).
    Unit(i64),
    /// A secretary's own records.
    Secretary(i64),
}

/// A scope as nullable column filters: a `None` field does not restrict.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScopeFilter {
    pub city: Option<i64>,
    pub district: Option<i64>,
    pub township: Option<i64>,
    pub unit: Option<i64>,
    pub secretary: Option<i64>,
}

impl Scope {
    pub fn filter(self) -> ScopeFilter {
        let mut f = ScopeFilter::default();
        match self {
            Scope::All => {}
            Scope::City(id) => f.city = Some(id),
            Scope::District(id) => f.district = Some(id),
            Scope::Township(id) => f.township = Some(id),
            Scope::Unit(id) => f.unit = Some(id),
            Scope::Secretary(id) => f.secretary = Some(id),
        }
        f
    }
}

/// Things a request can do; each route declares one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    /// See townships, villages, units and postings (scoped).
    ViewOrg,
    /// Create or change townships, villages and dispatching units.
    ManageOrg,
    /// See accounts (scoped).
    ViewAccounts,
    /// Create accounts, reset passwords, disable accounts.
    ManageAccounts,
    /// Create, change and end postings (选派).
    ManagePostings,
    /// Keep the list of paired hardship households (结对帮扶户).
    ManageHouseholds,
    /// Import villages and secretaries from spreadsheets.
    Import,
    /// Read the audit log.
    ViewAudit,
    /// The attendance boards and reports.
    ViewAttendance,
    /// Following secretaries one by one: their status, duties and records (the township, the
    /// district, and a dispatching unit for the secretaries it sent).
    FollowSecretaries,
    /// The dashboards across townships and districts (组织部).
    ViewDashboard,
    /// Deciding leave and running roll calls (镇街).
    ManageAttendance,
    /// Recording unannounced inspections (督查).
    Inspect,
    /// Filing term goals, the commitment, the report and the self-check (the secretary).
    FileEvaluation,
    /// Seeing secretaries' evaluation dossiers.
    ViewEvaluation,
    /// Approving term goals (the township and the dispatching unit).
    ApproveGoals,
    /// Scoring items that need judgement and entering facts with evidence (考核组: the
    /// department for 脱产, the township for 非脱产 secretaries).
    Assess,
    /// Opening a village's satisfaction survey and issuing ballot codes.
    RunSurvey,
    /// Computing, freezing and reopening a district's results (组织部).
    ManageEvaluation,
    /// Reading and answering the complaints and suggestions sent to the district (组织部).
    AnswerFeedback,
    /// Approving, returning or rejecting assistance projects (the township, then the department).
    ReviewProjects,
}

/// The account a request runs as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub account_id: i64,
    pub role: Role,
    pub scope: Scope,
}

impl Actor {
    /// Whether the role may perform `action` at all (the scope is checked per record).
    pub fn may(&self, action: Action) -> bool {
        use Action::*;
        use Role::*;
        match self.role {
            SysAdmin | DeptAdmin => true,
            TownshipSupervisor => {
                matches!(
                    action,
                    ViewOrg
                        | ViewAccounts
                        | ManageHouseholds
                        | ViewAttendance
                        | FollowSecretaries
                        | ManageAttendance
                        | Inspect
                        | ViewEvaluation
                        | ApproveGoals
                        | Assess
                        | RunSurvey
                        | ReviewProjects
                )
            }
            Inspector => matches!(action, ViewOrg | ViewAttendance | FollowSecretaries | Inspect | ViewEvaluation),
            UnitViewer => matches!(action, ViewOrg | FollowSecretaries | ViewEvaluation | ApproveGoals),
            Secretary => matches!(action, ViewOrg | FileEvaluation | ViewEvaluation),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_become_one_filter_each() {
        assert_eq!(Scope::All.filter(), ScopeFilter::default());
        assert_eq!(Scope::Township(3).filter(), ScopeFilter { township: Some(3), ..Default::default() });
        assert_eq!(Scope::Unit(7).filter(), ScopeFilter { unit: Some(7), ..Default::default() });
    }

    #[test]
    fn only_admins_manage_the_tree() {
        let actor = |role| Actor { account_id: 1, role, scope: Scope::Township(1) };
        for &role in Role::ALL {
            let admin = matches!(role, Role::SysAdmin | Role::DeptAdmin);
            assert_eq!(actor(role).may(Action::ManageOrg), admin, "{role:?}");
            assert_eq!(actor(role).may(Action::Import), admin, "{role:?}");
            assert!(actor(role).may(Action::ViewOrg));
        }
        assert!(actor(Role::TownshipSupervisor).may(Action::ManageHouseholds));
        assert!(!actor(Role::Inspector).may(Action::ViewAccounts));
        // A unit follows the secretaries it sent but sees no township's board; dashboards are
        // the department's.
        assert!(actor(Role::UnitViewer).may(Action::FollowSecretaries));
        assert!(!actor(Role::UnitViewer).may(Action::ViewAttendance));
        for role in [Role::TownshipSupervisor, Role::Inspector, Role::UnitViewer, Role::Secretary] {
            assert!(!actor(role).may(Action::ViewDashboard), "{role:?}");
        }
    }
}
