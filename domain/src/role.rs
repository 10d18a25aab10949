//! Account roles. Each role is bound to a part of the organisation tree (see [`crate::Scope`]).

coded_enum! {
    Role {
        /// 第一书记: a cadre posted to a village.
        Secretary = ("secretary", "第一书记", "First secretary"),
        /// 镇街管理员: manages the secretaries posted in one township.
        TownshipSupervisor = ("township_supervisor", "镇街管理员", "Township supervisor"),
        /// 督察: the district inspection bureau, unannounced checks across a district.
        Inspector = ("inspector", "督察", "Inspector"),
        /// 组织部管理员: the organisation department of a district or a city.
        DeptAdmin = ("dept_admin", "组织部管理员", "Organisation department"),
        /// 派出单位: a dispatching unit, sees only the secretaries it sent.
        UnitViewer = ("unit_viewer", "派出单位", "Dispatching unit"),
        /// 系统管理员.
        SysAdmin = ("sys_admin", "系统管理员", "System administrator"),
    }
}

impl Role {
    /// The page a person of this role lands on after logging in.
    pub fn home_path(self) -> &'static str {
        match self {
            Role::Secretary => "/field",
            Role::TownshipSupervisor => "/township",
            Role::Inspector => "/inspect",
            Role::DeptAdmin => "/dashboard",
            Role::SysAdmin => "/admin",
            Role::UnitViewer => "/unit",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for &r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
