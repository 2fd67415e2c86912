//! The planning functions of `ims_core::policy`, `ims_core::forecast` and
//! `ims_core::simulate` under their Rust module paths and parameter names,
//! called with keyword arguments. One table serves the dispatcher and the
//! signatures from which `ims-py/gen_planning.py` writes the typed Python
//! modules (`ims.policy.eoq.eoq(fixed_cost=…, …)` is `policy::eoq::eoq`).
//! Arguments and results travel as JSON values: f64 round-trips exactly.

use ims_core::forecast::{self, DemandClass, Method};
use ims_core::policy::continuous::Continuous;
use ims_core::policy::discrete::Discrete;
use ims_core::policy::finite_horizon::{self, FiniteHorizonParams};
use ims_core::policy::newsvendor::{self, ExplicitParams};
use ims_core::policy::rq::{self, PoissonRqParams, RqParams};
use ims_core::policy::safety_stock::{self, ProtectionParams};
use ims_core::policy::{eoq, loss, lot_sizing, normal, numeric, ss};
use ims_core::simulate::{self, SimRule, SimSetup};
use ims_core::Error;
use serde::Serialize;
use serde_json::Value;

fn to_json<T: Serialize>(r: T) -> Value {
    serde_json::to_value(r).unwrap_or(Value::Null)
}

fn bad_args(function: &str, e: serde_json::Error) -> Error {
    Error::InvalidCommand { reason: format!("{function}: {e}") }
}

macro_rules! functions {
    ($( $module:literal $name:literal ( $( $arg:ident : $ty:ty ),* ) -> $ret:literal => $call:expr ; )*) => {
        /// Calls `module.name` with its arguments as a JSON object.
        pub fn call(qualified: &str, args: Value) -> Result<Value, Error> {
            $(
                if qualified == concat!($module, ".", $name) {
                    #[derive(serde::Deserialize)]
                    #[serde(deny_unknown_fields)]
                    struct Args { $( $arg: $ty ),* }
                    let Args { $( $arg ),* } = serde_json::from_value(args).map_err(|e| bad_args(qualified, e))?;
                    let r: Result<_, Error> = $call;
                    return r.map(to_json);
                }
            )*
            Err(Error::InvalidCommand { reason: format!("no planning function {qualified:?}") })
        }

        /// The per-row form of `module.name` (`crate::planning_rows`).
        pub fn row_fn(qualified: &str) -> Option<crate::planning_rows::RowFn> {
            $(
                if qualified == concat!($module, ".", $name) {
                    let f: crate::planning_rows::RowFn = |d, sink| {
                        #[derive(serde::Deserialize)]
                        struct Args { $( $arg: $ty ),* }
                        let Args { $( $arg ),* } = crate::planning_rows::args(concat!($module, ".", $name), d)?;
                        let r: Result<_, Error> = $call;
                        sink.put(&r?)
                    };
                    return Some(f);
                }
            )*
            None
        }

        /// `(module, function, [(parameter, Rust type)], result type)` per function.
        pub const SIGNATURES: &[(&str, &str, &[(&str, &str)], &str)] = &[
            $( ($module, $name, &[ $( (stringify!($arg), stringify!($ty)) ),* ], $ret), )*
        ];
    };
}

functions! {
    "policy.discrete" "prob"(demand: Discrete, k: i64) -> "float" => Ok(demand.prob(k));
    "policy.discrete" "mean"(demand: Discrete) -> "float" => Ok(demand.mean());
    "policy.discrete" "cdf"(demand: Discrete, x: i64) -> "float" => Ok(demand.cdf(x));
    "policy.discrete" "loss"(demand: Discrete, x: i64) -> "Losses" => Ok(demand.loss(x));
    "policy.discrete" "loss2"(demand: Discrete, x: i64) -> "Losses" => Ok(demand.loss2(x));
    "policy.eoq" "eoq"(fixed_cost: f64, holding_cost: f64, demand_rate: f64) -> "Eoq"
        => eoq::eoq(fixed_cost, holding_cost, demand_rate);
    "policy.eoq" "eoq_cost"(fixed_cost: f64, holding_cost: f64, demand_rate: f64, order_quantity: f64) -> "float"
        => eoq::eoq_cost(fixed_cost, holding_cost, demand_rate, order_quantity);
    "policy.eoq" "eoq_backorders"(fixed_cost: f64, holding_cost: f64, stockout_cost: f64, demand_rate: f64) -> "EoqBackorders"
        => eoq::eoq_backorders(fixed_cost, holding_cost, stockout_cost, demand_rate);
    "policy.eoq" "eoq_backorders_cost"(fixed_cost: f64, holding_cost: f64, stockout_cost: f64, demand_rate: f64, order_quantity: f64, stockout_fraction: f64) -> "float"
        => eoq::eoq_backorders_cost(fixed_cost, holding_cost, stockout_cost, demand_rate, order_quantity, stockout_fraction);
    "policy.eoq" "epq"(fixed_cost: f64, holding_cost: f64, demand_rate: f64, production_rate: f64) -> "Eoq"
        => eoq::epq(fixed_cost, holding_cost, demand_rate, production_rate);
    "policy.eoq" "epq_cost"(fixed_cost: f64, holding_cost: f64, demand_rate: f64, production_rate: f64, order_quantity: f64) -> "float"
        => eoq::epq_cost(fixed_cost, holding_cost, demand_rate, production_rate, order_quantity);
    "policy.eoq" "all_units_discount"(fixed_cost: f64, holding_cost_rate: f64, demand_rate: f64, breakpoints: Vec<f64>, unit_costs: Vec<f64>) -> "Discount"
        => eoq::all_units_discount(fixed_cost, holding_cost_rate, demand_rate, &breakpoints, &unit_costs);
    "policy.eoq" "incremental_discount"(fixed_cost: f64, holding_cost_rate: f64, demand_rate: f64, breakpoints: Vec<f64>, unit_costs: Vec<f64>) -> "Discount"
        => eoq::incremental_discount(fixed_cost, holding_cost_rate, demand_rate, &breakpoints, &unit_costs);
    "policy.finite_horizon" "solve"(params: FiniteHorizonParams) -> "FiniteHorizon"
        => finite_horizon::solve(&params);
    "policy.finite_horizon" "myopic_bounds"(params: FiniteHorizonParams) -> "list[MyopicBounds]"
        => finite_horizon::myopic_bounds(&params);
    "policy.loss" "std_loss"(z: f64) -> "float" => Ok(loss::std_loss(z));
    "policy.loss" "std_loss_complement"(z: f64) -> "float" => Ok(loss::std_loss_complement(z));
    "policy.loss" "std_loss2"(z: f64) -> "float" => Ok(loss::std_loss2(z));
    "policy.loss" "std_loss2_complement"(z: f64) -> "float" => Ok(loss::std_loss2_complement(z));
    "policy.loss" "std_loss_inverse"(target: f64) -> "float" => loss::std_loss_inverse(target);
    "policy.loss" "normal_loss"(x: f64, mean: f64, sd: f64) -> "Losses" => loss::normal_loss(x, mean, sd);
    "policy.loss" "normal_loss2"(x: f64, mean: f64, sd: f64) -> "Losses" => loss::normal_loss2(x, mean, sd);
    "policy.loss" "exponential_loss"(x: f64, rate: f64) -> "Losses" => loss::exponential_loss(x, rate);
    "policy.loss" "gamma_loss"(x: f64, shape: f64, scale: f64) -> "Losses" => loss::gamma_loss(x, shape, scale);
    "policy.loss" "lognormal_loss"(x: f64, mu: f64, sigma: f64) -> "Losses" => loss::lognormal_loss(x, mu, sigma);
    "policy.lot_sizing" "wagner_whitin"(holding_cost: Vec<f64>, fixed_cost: Vec<f64>, demand: Vec<f64>) -> "LotSizing"
        => lot_sizing::wagner_whitin(&holding_cost, &fixed_cost, &demand);
    "policy.newsvendor" "normal"(holding_cost: f64, stockout_cost: f64, demand_mean: f64, demand_sd: f64, lead_time: f64) -> "Newsvendor"
        => newsvendor::normal(holding_cost, stockout_cost, demand_mean, demand_sd, lead_time);
    "policy.newsvendor" "normal_cost"(holding_cost: f64, stockout_cost: f64, demand_mean: f64, demand_sd: f64, lead_time: f64, base_stock_level: f64) -> "float"
        => newsvendor::normal_cost(holding_cost, stockout_cost, demand_mean, demand_sd, lead_time, base_stock_level);
    "policy.newsvendor" "poisson"(holding_cost: f64, stockout_cost: f64, demand_mean: f64, lead_time: f64) -> "DiscreteNewsvendor"
        => newsvendor::poisson(holding_cost, stockout_cost, demand_mean, lead_time);
    "policy.newsvendor" "poisson_cost"(holding_cost: f64, stockout_cost: f64, demand_mean: f64, lead_time: f64, base_stock_level: i64) -> "float"
        => newsvendor::poisson_cost(holding_cost, stockout_cost, demand_mean, lead_time, base_stock_level);
    "policy.newsvendor" "discrete"(holding_cost: f64, stockout_cost: f64, demand: Discrete) -> "DiscreteNewsvendor"
        => newsvendor::discrete(holding_cost, stockout_cost, &demand);
    "policy.newsvendor" "discrete_cost"(holding_cost: f64, stockout_cost: f64, demand: Discrete, base_stock_level: i64) -> "float"
        => newsvendor::discrete_cost(holding_cost, stockout_cost, &demand, base_stock_level);
    "policy.newsvendor" "continuous"(holding_cost: f64, stockout_cost: f64, demand: Continuous) -> "Newsvendor"
        => newsvendor::continuous(holding_cost, stockout_cost, &demand);
    "policy.newsvendor" "continuous_cost"(holding_cost: f64, stockout_cost: f64, demand: Continuous, base_stock_level: f64) -> "float"
        => newsvendor::continuous_cost(holding_cost, stockout_cost, &demand, base_stock_level);
    "policy.newsvendor" "explicit"(params: ExplicitParams) -> "ExplicitNewsvendor" => newsvendor::explicit(&params);
    "policy.newsvendor" "explicit_profit"(params: ExplicitParams, base_stock_level: f64) -> "float"
        => newsvendor::explicit_profit(&params, base_stock_level);
    "policy.normal" "pdf"(z: f64) -> "float" => Ok(normal::pdf(z));
    "policy.normal" "cdf"(z: f64) -> "float" => Ok(normal::cdf(z));
    "policy.normal" "sf"(z: f64) -> "float" => Ok(normal::sf(z));
    "policy.normal" "quantile"(p: f64) -> "float" => normal::quantile(p);
    "policy.numeric" "units_up"(x: f64) -> "int" => Ok(numeric::units_up(x));
    "policy.numeric" "try_units_up"(x: f64) -> "int" => numeric::try_units_up(x);
    "policy.numeric" "order_units"(units: i64, moq: i64, multiple: i64) -> "int" => numeric::order_units(units, moq, multiple);
    "policy.rq" "exact_cost"(params: RqParams, reorder_point: f64, order_quantity: f64) -> "float"
        => rq::exact_cost(&params, reorder_point, order_quantity);
    "policy.rq" "optimal_reorder_point"(params: RqParams, order_quantity: f64) -> "float"
        => rq::optimal_reorder_point(&params, order_quantity);
    "policy.rq" "eoqb"(params: RqParams) -> "Rq" => rq::eoqb(&params);
    "policy.rq" "eoq_ss"(params: RqParams) -> "Rq" => rq::eoq_ss(&params);
    "policy.rq" "loss_function"(params: RqParams) -> "Rq" => rq::loss_function(&params);
    "policy.rq" "eil"(params: RqParams) -> "EilRq" => rq::eil(&params);
    "policy.rq" "poisson_cost"(params: PoissonRqParams, reorder_point: i64, order_quantity: i64) -> "float"
        => rq::poisson_cost(&params, reorder_point, order_quantity);
    "policy.rq" "poisson_optimum"(params: PoissonRqParams) -> "PoissonRq" => rq::poisson_optimum(&params);
    "policy.safety_stock" "type1"(params: ProtectionParams, cycle_service_level: f64) -> "SafetyStock"
        => safety_stock::type1(&params, cycle_service_level);
    "policy.safety_stock" "type2"(params: ProtectionParams, fill_rate: f64, order_quantity: f64) -> "SafetyStock"
        => safety_stock::type2(&params, fill_rate, order_quantity);
    "policy.safety_stock" "service"(params: ProtectionParams, reorder_level: f64, order_quantity: f64) -> "Service"
        => safety_stock::service(&params, reorder_level, order_quantity);
    "policy.ss" "cost"(holding_cost: f64, stockout_cost: f64, fixed_cost: f64, demand: Discrete, reorder_point: i64, order_up_to_level: i64) -> "float"
        => ss::cost(holding_cost, stockout_cost, fixed_cost, &demand, reorder_point, order_up_to_level);
    "policy.ss" "optimum"(holding_cost: f64, stockout_cost: f64, fixed_cost: f64, demand: Discrete) -> "Ss"
        => ss::optimum(holding_cost, stockout_cost, fixed_cost, &demand);
    "policy.ss" "power_approximation"(holding_cost: f64, stockout_cost: f64, fixed_cost: f64, demand_mean: f64, demand_sd: f64) -> "PowerSs"
        => ss::power_approximation(holding_cost, stockout_cost, fixed_cost, demand_mean, demand_sd);
    "forecast" "fit"(method: Method, y: Vec<f64>, h: usize) -> "Fit" => forecast::fit(&method, &y, h);
    "forecast" "forecast_only"(method: Method, y: Vec<f64>, h: usize) -> "list[float]" => forecast::forecast_only(&method, &y, h);
    "forecast" "holt_states"(y: Vec<f64>, alpha: f64, beta: f64) -> "list[HoltState]" => forecast::holt_states(&y, alpha, beta);
    "forecast" "evaluate"(method: Method, y: Vec<f64>, holdout: usize) -> "Accuracy" => forecast::evaluate(&method, &y, holdout);
    "forecast" "classify"(y: Vec<f64>) -> "Classification" => forecast::classify(&y);
    "forecast" "method_for"(class: DemandClass) -> "dict" => Ok(forecast::method_for(class));
    "forecast" "auto"(y: Vec<f64>) -> "dict" => forecast::auto(&y);
    "simulate" "simulate"(rule: SimRule, setup: SimSetup) -> "SimReport" => simulate::simulate(rule, &setup);
    "simulate" "compare"(rules: Vec<SimRule>, setup: SimSetup) -> "list[SimReport]" => simulate::compare(&rules, &setup);
}
