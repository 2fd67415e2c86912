//! Error scenarios of the pure planning functions (policy: inventory
//! theory). They hold no state, so a refusal has nothing to leave alone:
//! the scenario checks the error and the data it names.

#[allow(unused_imports)]
use super::*;

use ims_core::policy::safety_stock::{self, ProtectionParams};
use ims_core::policy::{eoq, normal, numeric};

scenarios! {
    invalid_parameter {
        let e = normal::quantile(1.0).unwrap_err();
        record(&e, "INVALID_PARAMETER");
        assert_eq!(e, Error::InvalidParameter {
            function: "policy::normal::quantile",
            param: "p",
            value: "1".into(),
            reason: "must be a probability strictly between 0 and 1",
        });
        let e = eoq::eoq(8.0, -0.225, 1300.0).unwrap_err();
        record(&e, "INVALID_PARAMETER");
        assert_eq!(e, Error::InvalidParameter {
            function: "policy::eoq::eoq",
            param: "holding_cost",
            value: "-0.225".into(),
            reason: "must be a finite number > 0",
        });
        let p = ProtectionParams { demand_mean: 10.0, demand_sd: f64::NAN, lead_time_mean: 2.0, lead_time_sd: 0.0, review_period: 0.0 };
        let e = safety_stock::type1(&p, 0.95).unwrap_err();
        record(&e, "INVALID_PARAMETER");
        assert!(matches!(e, Error::InvalidParameter { param: "demand_sd", ref value, .. } if value == "NaN"));
        let e = numeric::try_units_up(f64::INFINITY).unwrap_err();
        record(&e, "INVALID_PARAMETER");
        assert!(matches!(e, Error::InvalidParameter { function: "policy::numeric::try_units_up", param: "x", .. }));
        assert_eq!(e.code(), 141);
    }
}
