//! Positions and village geofences.

use serde::{Deserialize, Serialize};

use crate::Msg;

/// A WGS-84 position in degrees.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Coordinates {
    pub lat: f64,
    pub lon: f64,
}

const EARTH_RADIUS_M: f64 = 6_371_008.8;

impl Coordinates {
    /// Accepts only finite latitudes in [-90, 90] and longitudes in [-180, 180].
    pub fn parse(lat: f64, lon: f64) -> Result<Self, Msg> {
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(Msg::new(
                format!("纬度 {lat} 不在 -90 到 90 之间"),
                format!("latitude {lat} is not between -90 and 90"),
            ));
        }
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err(Msg::new(
                format!("经度 {lon} 不在 -180 到 180 之间"),
                format!("longitude {lon} is not between -180 and 180"),
            ));
        }
        Ok(Coordinates { lat, lon })
    }

    /// Great-circle distance in metres (haversine).
    pub fn distance_m(self, other: Coordinates) -> f64 {
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().asin()
    }
}

/// A village's check-in area: a circle around its centre.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Geofence {
    pub center: Coordinates,
    pub radius_m: i32,
}

impl Geofence {
    pub const MIN_RADIUS_M: i32 = 50;
    pub const MAX_RADIUS_M: i32 = 10_000;

    pub fn parse(center: Coordinates, radius_m: i32) -> Result<Self, Msg> {
        if !(Self::MIN_RADIUS_M..=Self::MAX_RADIUS_M).contains(&radius_m) {
            return Err(Msg::new(
                format!("围栏半径须在 {} 到 {} 米之间", Self::MIN_RADIUS_M, Self::MAX_RADIUS_M),
                format!("geofence radius must be between {} and {} metres", Self::MIN_RADIUS_M, Self::MAX_RADIUS_M),
            ));
        }
        Ok(Geofence { center, radius_m })
    }

    /// Inside when the distance to the centre is within the radius plus the reported accuracy.
    pub fn contains(&self, point: Coordinates, accuracy_m: f64) -> bool {
        self.distance_m(point) <= f64::from(self.radius_m) + accuracy_m.max(0.0)
    }

    /// How far a point is from the village's centre, metres.
    pub fn distance_m(&self, point: Coordinates) -> f64 {
        self.center.distance_m(point)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_of_a_known_pair() {
        // 峄城区政府 to 枣庄站, about 6.1 km apart.
        let a = Coordinates::parse(34.7725, 117.5905).unwrap();
        let b = Coordinates::parse(34.8047, 117.5399).unwrap();
        let d = a.distance_m(b);
        assert!((5_500.0..6_500.0).contains(&d), "{d}");
    }

    #[test]
    fn geofence_counts_accuracy() {
        let c = Coordinates::parse(34.77, 117.59).unwrap();
        let fence = Geofence::parse(c, 500).unwrap();
        let p = Coordinates::parse(34.77 + 0.0054, 117.59).unwrap(); // ~600 m north
        assert!(!fence.contains(p, 20.0));
        assert!(fence.contains(p, 150.0));
    }

    #[test]
    fn rejects_impossible_values() {
        assert!(Coordinates::parse(91.0, 0.0).is_err());
        assert!(Coordinates::parse(0.0, f64::NAN).is_err());
        let c = Coordinates::parse(0.0, 0.0).unwrap();
        assert!(Geofence::parse(c, 10).is_err());
        assert!(Geofence::parse(c, 20_000).is_err());
    }
}
