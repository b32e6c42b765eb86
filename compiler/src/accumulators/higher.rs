//! Fixed-width statistics beyond variance, each exactly as Spark computes
//! it so that any split of the rows merges to Spark's answer:
//!
//! - [`moments4`]: skewness and kurtosis, `[n][mean][m2][m3][m4][unused]`
//!   (48 bytes), Spark's `CentralMomentAgg` of order 4 (the order-3 update
//!   of m3 does not read m4, so one accumulator serves both);
//! - [`comoments`]: corr, covar_pop, covar_samp, `[n][x mean][y mean][ck]
//!   [x m2][y m2]` (48 bytes), Spark's `PearsonCorrelation`/`Covariance`;
//! - [`bits`]: bit_and/or/xor, `[i64 value][u64 seen]`.

use crate::agg_table::{read_u64, write_u64};
use crate::ir::AggFunc;

fn get<const N: usize>(acc: &[u8], o: usize) -> [f64; N] {
    std::array::from_fn(|k| f64::from_bits(read_u64(acc, o + 8 * k)))
}

fn put(acc: &mut [u8], o: usize, v: &[f64]) {
    for (k, x) in v.iter().enumerate() {
        write_u64(acc, o + 8 * k, x.to_bits());
    }
}

/// Spark's central moments up to the fourth.
pub mod moments4 {
    use super::*;

    /// Adds one value (Spark's update expressions, in their order).
    pub fn update(acc: &mut [u8], o: usize, x: f64) {
        let [n, avg, m2, m3, m4] = get::<5>(acc, o);
        let new_n = n + 1.0;
        let delta = x - avg;
        let delta_n = delta / new_n;
        let new_avg = avg + delta_n;
        let new_m2 = m2 + delta * (delta - delta_n);
        let delta2 = delta * delta;
        let delta_n2 = delta_n * delta_n;
        let new_m3 = m3 - 3.0 * delta_n * new_m2 + delta * (delta2 - delta_n2);
        let new_m4 = m4 - 4.0 * delta_n * new_m3 - 6.0 * delta_n2 * new_m2
            + delta * (delta * delta2 - delta_n * delta_n2);
        put(acc, o, &[new_n, new_avg, new_m2, new_m3, new_m4]);
    }

    /// Merges `src[so..]` into `dst[o..]` (Spark's merge expressions).
    pub fn merge(dst: &mut [u8], o: usize, src: &[u8], so: usize) {
        let [n1, avg1, m2_1, m3_1, m4_1] = get::<5>(dst, o);
        let [n2, avg2, m2_2, m3_2, m4_2] = get::<5>(src, so);
        let new_n = n1 + n2;
        let delta = avg2 - avg1;
        let delta_n = if new_n == 0.0 { 0.0 } else { delta / new_n };
        let new_avg = avg1 + delta_n * n2;
        let new_m2 = m2_1 + m2_2 + delta * delta_n * n1 * n2;
        let new_m3 = m3_1
            + m3_2
            + delta_n * delta_n * delta * n1 * n2 * (n1 - n2)
            + 3.0 * delta_n * (n1 * m2_2 - n2 * m2_1);
        let new_m4 = m4_1
            + m4_2
            + delta_n * delta_n * delta_n * delta * n1 * n2 * (n1 * n1 - n1 * n2 + n2 * n2)
            + 6.0 * delta_n * delta_n * (n1 * n1 * m2_2 + n2 * n2 * m2_1)
            + 4.0 * delta_n * (n1 * m3_2 - n2 * m3_1);
        put(dst, o, &[new_n, new_avg, new_m2, new_m3, new_m4]);
    }

    /// skewness or kurtosis: null without rows, and (Spark 4, without the
    /// legacy statistical setting) when m2 is 0.
    pub fn finish(func: AggFunc, acc: &[u8], o: usize) -> Option<f64> {
        let [n, _, m2, m3, m4] = get::<5>(acc, o);
        if n == 0.0 || m2 == 0.0 {
            return None;
        }
        match func {
            AggFunc::Skewness => Some(n.sqrt() * m3 / (m2 * m2 * m2).sqrt()),
            AggFunc::Kurtosis => Some(n * m4 / (m2 * m2) - 3.0),
            _ => None,
        }
    }
}

/// Spark's co-moments of two columns.
pub mod comoments {
    use super::*;

    /// Adds one (x, y) pair, both non-null.
    pub fn update(acc: &mut [u8], o: usize, x: f64, y: f64) {
        let [n, x_avg, y_avg, ck, x_mk, y_mk] = get::<6>(acc, o);
        let new_n = n + 1.0;
        let dx = x - x_avg;
        let dx_n = dx / new_n;
        let dy = y - y_avg;
        let dy_n = dy / new_n;
        let new_x_avg = x_avg + dx_n;
        let new_y_avg = y_avg + dy_n;
        let new_ck = ck + dx * (y - new_y_avg);
        let new_x_mk = x_mk + dx * (x - new_x_avg);
        let new_y_mk = y_mk + dy * (y - new_y_avg);
        put(
            acc,
            o,
            &[new_n, new_x_avg, new_y_avg, new_ck, new_x_mk, new_y_mk],
        );
    }

    pub fn merge(dst: &mut [u8], o: usize, src: &[u8], so: usize) {
        let [n1, x_avg1, y_avg1, ck1, x_mk1, y_mk1] = get::<6>(dst, o);
        let [n2, x_avg2, y_avg2, ck2, x_mk2, y_mk2] = get::<6>(src, so);
        let new_n = n1 + n2;
        let dx = x_avg2 - x_avg1;
        let dx_n = if new_n == 0.0 { 0.0 } else { dx / new_n };
        let dy = y_avg2 - y_avg1;
        let dy_n = if new_n == 0.0 { 0.0 } else { dy / new_n };
        put(
            dst,
            o,
            &[
                new_n,
                x_avg1 + dx_n * n2,
                y_avg1 + dy_n * n2,
                ck1 + ck2 + dx * dy_n * n1 * n2,
                x_mk1 + x_mk2 + dx * dx_n * n1 * n2,
                y_mk1 + y_mk2 + dy * dy_n * n1 * n2,
            ],
        );
    }

    /// corr, covar_pop or covar_samp: null without rows; the sample forms
    /// null for one row (Spark 4's division by zero in statistics).
    pub fn finish(func: AggFunc, acc: &[u8], o: usize) -> Option<f64> {
        let [n, _, _, ck, x_mk, y_mk] = get::<6>(acc, o);
        match func {
            _ if n == 0.0 => None,
            AggFunc::CovarPop => Some(ck / n),
            _ if n == 1.0 => None,
            AggFunc::CovarSamp => Some(ck / (n - 1.0)),
            AggFunc::Corr => Some(ck / (x_mk * y_mk).sqrt()),
            _ => None,
        }
    }
}

/// bit_and/bit_or/bit_xor over sign-extended integers.
pub mod bits {
    use super::*;

    pub fn combine(func: AggFunc, a: u64, b: u64) -> u64 {
        match func {
            AggFunc::BitAnd => a & b,
            AggFunc::BitOr => a | b,
            _ => a ^ b,
        }
    }

    /// Adds `x`: the first value is taken as it is.
    pub fn update(func: AggFunc, acc: &mut [u8], o: usize, x: u64) {
        let seen = read_u64(acc, o + 8);
        let v = if seen == 0 {
            x
        } else {
            combine(func, read_u64(acc, o), x)
        };
        write_u64(acc, o, v);
        write_u64(acc, o + 8, seen + 1);
    }

    pub fn merge(func: AggFunc, dst: &mut [u8], o: usize, src: &[u8], so: usize) {
        let seen = read_u64(src, so + 8);
        if seen != 0 {
            let x = read_u64(src, so);
            let mine = read_u64(dst, o + 8);
            let v = if mine == 0 {
                x
            } else {
                combine(func, read_u64(dst, o), x)
            };
            write_u64(dst, o, v);
            write_u64(dst, o + 8, mine + seen);
        }
    }
}
