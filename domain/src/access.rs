//! Who may do what, and where. Every request runs as an [`Actor`]: a role that may perform
//! some [`Action`]s, bound to a [`Scope`] (a subtree of the organisation). The data layer turns
//! the scope into SQL filters with [`Scope::filter`]; single records are checked with
//! [`Scope::covers`] on the same filter, so lists and single reads cannot disagree.

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

/// Where a record sits in the organisation: its ancestors and the units and secretaries
/// posted to it (a village may host several postings over time).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Place {
    pub city: Option<i64>,
    pub district: Option<i64>,
    pub township: Option<i64>,
    pub units: Vec<i64>,
    pub secretaries: Vec<i64>,
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

    /// Whether a record at `place` lies inside this scope.
    pub fn covers(self, place: &Place) -> bool {
        let f = self.filter();
        let eq = |want: Option<i64>, have: Option<i64>| want.is_none() || want == have;
        let within = |want: Option<i64>, have: &[i64]| want.is_none_or(|w| have.contains(&w));
        eq(f.city, place.city)
            && eq(f.district, place.district)
            && eq(f.township, place.township)
            && within(f.unit, &place.units)
            && within(f.secretary, &place.secretaries)
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
}

impl Action {
    pub const ALL: [Action; 8] = [
        Action::ViewOrg,
        Action::ManageOrg,
        Action::ViewAccounts,
        Action::ManageAccounts,
        Action::ManagePostings,
        Action::ManageHouseholds,
        Action::Import,
        Action::ViewAudit,
    ];
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
            TownshipSupervisor => matches!(action, ViewOrg | ViewAccounts | ManageHouseholds),
            Inspector | UnitViewer | Secretary => matches!(action, ViewOrg),
        }
    }

    /// Whether `action` on a record at `place` is allowed.
    pub fn may_at(&self, action: Action, place: &Place) -> bool {
        self.may(action) && self.scope.covers(place)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn village_in(township: i64) -> Place {
        Place { city: Some(1), district: Some(10), township: Some(township), units: vec![7], secretaries: vec![42] }
    }

    #[test]
    fn township_scope_covers_only_its_township() {
        assert!(Scope::Township(100).covers(&village_in(100)));
        assert!(!Scope::Township(100).covers(&village_in(101)));
    }

    #[test]
    fn unit_and_secretary_scopes_follow_postings() {
        assert!(Scope::Unit(7).covers(&village_in(100)));
        assert!(!Scope::Unit(8).covers(&village_in(100)));
        assert!(Scope::Secretary(42).covers(&village_in(100)));
        assert!(!Scope::Secretary(43).covers(&village_in(100)));
    }

    #[test]
    fn wider_scopes_cover_their_subtree() {
        assert!(Scope::All.covers(&village_in(1)));
        assert!(Scope::City(1).covers(&village_in(1)));
        assert!(!Scope::City(2).covers(&village_in(1)));
        assert!(Scope::District(10).covers(&village_in(1)));
        assert!(!Scope::District(11).covers(&village_in(1)));
    }

    #[test]
    fn supervisors_cannot_manage_the_tree() {
        let a = Actor { account_id: 1, role: Role::TownshipSupervisor, scope: Scope::Township(100) };
        assert!(a.may_at(Action::ManageHouseholds, &village_in(100)));
        assert!(!a.may_at(Action::ManageHouseholds, &village_in(101)));
        assert!(!a.may(Action::ManageOrg));
        assert!(!a.may(Action::Import));
    }
}
