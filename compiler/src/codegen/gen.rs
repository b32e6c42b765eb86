//! The code generator's state: the Cranelift function builder, the values a
//! kernel carries for each SQL value ([`Val`]), helper calls, constants the
//! kernel owns, and error exits.

use std::collections::HashMap;

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{
    types, AbiParam, Block, BlockArg, InstBuilder, MemFlagsData, SigRef, Signature, StackSlotData,
    StackSlotKind, Type, Value,
};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::FunctionBuilder;

use crate::error::{Error, Result};
use crate::ir::TExpr;
use crate::scalar_fns::LikeMatcher;
use crate::types::DataType;

use super::abi::{CTX_FAILED, ERR};
use super::helpers;
use super::sites::{ErrorSite, SiteKind};

/// A SQL value inside generated code. `null` is an `i8` (1 = null), `None`
/// when the value cannot be null.
#[derive(Clone, Copy, Debug)]
pub enum Val {
    /// Boolean and Null as `i8` (0/1), TINYINT `i8`, SMALLINT `i16`, Int32/Date/year-month interval
    /// (months) `i32`, Int64/Timestamp/TimestampNtz/day-time interval
    /// (microseconds) `i64`, Float64 `f64`, Float32 `f32`.
    Fixed { v: Value, null: Option<Value> },
    /// Utf8/Binary: the address and length of the bytes.
    Str {
        ptr: Value,
        len: Value,
        null: Option<Value>,
    },
}

impl Val {
    /// The null flag (`None`: never null).
    pub fn null(&self) -> Option<Value> {
        match self {
            Val::Fixed { null, .. } | Val::Str { null, .. } => *null,
        }
    }

    /// The fixed-width value (an error for strings: a type bug in the IR).
    pub fn v(&self) -> Result<Value> {
        match self {
            Val::Fixed { v, .. } => Ok(*v),
            Val::Str { .. } => Err(Error::internal(
                "expected a fixed-width value, found a string",
            )),
        }
    }

    /// The string's (address, length).
    pub fn bytes(&self) -> Result<(Value, Value)> {
        match self {
            Val::Str { ptr, len, .. } => Ok((*ptr, *len)),
            Val::Fixed { .. } => Err(Error::internal(
                "expected a string value, found a fixed-width one",
            )),
        }
    }
}

/// The Cranelift type of a fixed-width SQL type.
pub fn clif_type(t: &DataType) -> Type {
    match t {
        DataType::Int32 | DataType::Date | DataType::YearMonthInterval(..) => types::I32,
        DataType::Int64
        | DataType::Timestamp
        | DataType::TimestampNtz
        | DataType::DayTimeInterval(..) => types::I64,
        DataType::Float64 => types::F64,
        DataType::Float32 => types::F32,
        DataType::Int16 => types::I16,
        // A decimal's unscaled value (compared, never computed, in JIT code).
        DataType::Decimal(..) => types::I128,
        _ => types::I8,
    }
}

/// Objects a kernel's code points to: they live as long as the kernel.
#[derive(Debug, Default)]
#[allow(clippy::vec_box)] // boxed: compiled code holds their addresses while the Vecs grow
pub struct Owned {
    pub bytes: Vec<Box<[u8]>>,
    pub likes: Vec<Box<LikeMatcher>>,
    pub regexes: Vec<Box<regex::Regex>>,
    /// The sets of long IN lists of constants.
    pub in_sets: Vec<Box<crate::in_set::InSet>>,
    /// The address of the matcher of each (pattern, case-insensitive).
    pub like_index: HashMap<(String, bool), i64>,
    /// The address of the regex of each pattern.
    pub regex_index: HashMap<String, i64>,
}

/// Memory flags for the kernel's loads and stores: never trapping (every
/// address is in bounds by construction), possibly unaligned.
pub fn mem() -> MemFlagsData {
    MemFlagsData::new().with_notrap()
}

/// The code generator of one kernel function.
pub struct Gen<'a> {
    pub b: FunctionBuilder<'a>,
    /// The `*mut KernelCtx` parameter.
    pub ctx: Value,
    pub call_conv: CallConv,
    sigs: HashMap<(Vec<Type>, Option<Type>), SigRef>,
    pub sites: Vec<ErrorSite>,
    pub owned: Owned,
}

impl<'a> Gen<'a> {
    /// A generator over `b`, `ctx` being the kernel's ctx parameter.
    pub fn new(b: FunctionBuilder<'a>, ctx: Value, call_conv: CallConv) -> Self {
        Gen {
            b,
            ctx,
            call_conv,
            sigs: HashMap::new(),
            sites: Vec::new(),
            owned: Owned::default(),
        }
    }

    /// Finalizes the function; returns the error sites and owned objects.
    pub fn finish(
        self,
        cfg: cranelift_codegen::isa::TargetFrontendConfig,
    ) -> (Vec<ErrorSite>, Owned) {
        let Gen {
            mut b,
            sites,
            owned,
            ..
        } = self;
        b.seal_all_blocks();
        b.finalize(cfg);
        (sites, owned)
    }

    /// An i64 constant.
    pub fn i64c(&mut self, v: i64) -> Value {
        self.b.ins().iconst(types::I64, v)
    }

    /// An i8 constant.
    /// An `i128` constant (Cranelift's `iconst` stops at 64 bits).
    pub fn i128c(&mut self, v: i128) -> Value {
        let lo = self.i64c(v as i64);
        let hi = self.i64c((v >> 64) as i64);
        self.b.ins().iconcat(lo, hi)
    }

    pub fn i8c(&mut self, v: i64) -> Value {
        self.b.ins().iconst(types::I8, v)
    }

    /// A load of `ty` at `p + off`.
    pub fn load(&mut self, ty: Type, p: Value, off: i32) -> Value {
        self.b.ins().load(ty, mem(), p, off)
    }

    /// A store of `v` at `p + off`.
    pub fn store(&mut self, v: Value, p: Value, off: i32) {
        self.b.ins().store(mem(), v, p, off);
    }

    /// The address of bytes the kernel owns (literals).
    pub fn owned_bytes(&mut self, bytes: &[u8]) -> (Value, Value) {
        let boxed: Box<[u8]> = bytes.into();
        let addr = if boxed.is_empty() {
            super::abi::ALL_VALID.as_ptr() as i64
        } else {
            boxed.as_ptr() as i64
        };
        self.owned.bytes.push(boxed);
        (self.i64c(addr), self.i64c(bytes.len() as i64))
    }

    /// Calls an `extern "C"` helper by address; every argument and the
    /// result are `i64` or `f64`.
    pub fn call(&mut self, addr: usize, args: &[Value], ret: Option<Type>) -> Option<Value> {
        let arg_tys: Vec<Type> = args
            .iter()
            .map(|a| self.b.func.dfg.value_type(*a))
            .collect();
        let key = (arg_tys, ret);
        let sig = match self.sigs.get(&key) {
            Some(s) => *s,
            None => {
                let mut sig = Signature::new(self.call_conv);
                sig.params.extend(key.0.iter().map(|t| AbiParam::new(*t)));
                sig.returns.extend(ret.map(AbiParam::new));
                let s = self.b.import_signature(sig);
                self.sigs.insert(key, s);
                s
            }
        };
        let callee = self.i64c(addr as i64);
        let inst = self.b.ins().call_indirect(sig, callee, args);
        self.b.inst_results(inst).first().copied()
    }

    /// Calls a helper that returns one value of type `ret`.
    pub fn call_value(&mut self, addr: usize, args: &[Value], ret: Type) -> Value {
        match self.call(addr, args, Some(ret)) {
            Some(v) => v,
            // The signature has one result: the call has one.
            None => self.zero(ret),
        }
    }

    /// Adds an error site for `e`.
    pub fn site(&mut self, e: &TExpr, kind: SiteKind) -> i64 {
        self.site_text(e.to_string(), kind)
    }

    /// Adds an error site for an expression given as text.
    pub fn site_text(&mut self, expr: String, kind: SiteKind) -> i64 {
        self.sites.push(ErrorSite { expr, kind });
        (self.sites.len() - 1) as i64
    }

    /// When `cond` (i8) is set: records the error of `site` with the
    /// offending value `bits` (an i64) and returns [`ERR`].
    pub fn raise_if(&mut self, cond: Value, site: i64, bits: Option<Value>) {
        let err = self.b.create_block();
        let ok = self.b.create_block();
        self.b.set_cold_block(err);
        self.b.ins().brif(cond, err, &[], ok, &[]);
        self.b.switch_to_block(err);
        let bits = match bits {
            Some(v) => v,
            None => self.i64c(0),
        };
        let site = self.i64c(site);
        let ctx = self.ctx;
        self.call(
            helpers::sqlc_raise as *const () as usize,
            &[ctx, site, bits],
            None,
        );
        let e = self.i64c(ERR as i64);
        self.b.ins().return_(&[e]);
        self.b.switch_to_block(ok);
    }

    /// After a helper that may fail: returns [`ERR`] if it did.
    pub fn check_failed(&mut self) {
        let ctx = self.ctx;
        let failed = self.load(types::I64, ctx, CTX_FAILED);
        let err = self.b.create_block();
        let ok = self.b.create_block();
        self.b.set_cold_block(err);
        self.b.ins().brif(failed, err, &[], ok, &[]);
        self.b.switch_to_block(err);
        let e = self.i64c(ERR as i64);
        self.b.ins().return_(&[e]);
        self.b.switch_to_block(ok);
    }

    /// Either null flag set (`None` when neither can be null).
    pub fn or_null(&mut self, a: Option<Value>, b: Option<Value>) -> Option<Value> {
        match (a, b) {
            (None, x) | (x, None) => x,
            (Some(a), Some(b)) => Some(self.b.ins().bor(a, b)),
        }
    }

    /// The null flag as a value (0 when it cannot be null).
    pub fn null_flag(&mut self, n: Option<Value>) -> Value {
        n.unwrap_or_else(|| self.i8c(0))
    }

    /// `cond` and not null: the i8 a filter or a CASE branch tests.
    pub fn is_true(&mut self, v: Val) -> Result<Value> {
        let x = v.v()?;
        Ok(match v.null() {
            None => x,
            Some(n) => self.b.ins().band_not(x, n),
        })
    }

    /// `c & !null`, for error checks that only apply to non-null values.
    pub fn and_valid(&mut self, c: Value, null: Option<Value>) -> Value {
        match null {
            None => c,
            Some(n) => self.b.ins().band_not(c, n),
        }
    }

    /// A null value of type `t`.
    pub fn null_of(&mut self, t: &DataType) -> Val {
        let one = self.i8c(1);
        if t.is_string_like() {
            let z = self.i64c(0);
            Val::Str {
                ptr: z,
                len: z,
                null: Some(one),
            }
        } else {
            let v = self.zero(clif_type(t));
            Val::Fixed { v, null: Some(one) }
        }
    }

    /// Zero of a Cranelift type.
    pub fn zero(&mut self, ty: Type) -> Value {
        if ty == types::F64 {
            self.b.ins().f64const(0.0)
        } else if ty == types::F32 {
            self.b.ins().f32const(0.0)
        } else if ty == types::I128 {
            self.i128c(0)
        } else {
            self.b.ins().iconst(ty, 0)
        }
    }

    /// A value of type `from` used where `to` is expected: only a bare NULL
    /// changes (into a null of type `to`).
    pub fn coerce(&mut self, v: Val, from: &DataType, to: &DataType) -> Val {
        if *from == DataType::Null && *to != DataType::Null {
            self.null_of(to)
        } else {
            v
        }
    }

    /// A block that merges values of type `t`: its parameters.
    pub fn merge_block(&mut self, t: &DataType) -> Block {
        let blk = self.b.create_block();
        if t.is_string_like() {
            self.b.append_block_param(blk, types::I64);
            self.b.append_block_param(blk, types::I64);
        } else {
            self.b.append_block_param(blk, clif_type(t));
        }
        self.b.append_block_param(blk, types::I8);
        blk
    }

    /// The arguments that pass `v` (of type `t`) to a merge block.
    pub fn merge_args(&mut self, v: Val) -> Vec<BlockArg> {
        let n = self.null_flag(v.null());
        match v {
            Val::Str { ptr, len, .. } => vec![ptr.into(), len.into(), n.into()],
            Val::Fixed { v, .. } => vec![v.into(), n.into()],
        }
    }

    /// Jumps to a merge block with `v`.
    pub fn jump_merge(&mut self, blk: Block, v: Val) {
        let args = self.merge_args(v);
        self.b.ins().jump(blk, &args);
    }

    /// Switches to a merge block and returns the value it receives.
    pub fn enter_merge(&mut self, blk: Block, t: &DataType) -> Val {
        self.b.switch_to_block(blk);
        let p = self.b.block_params(blk).to_vec();
        if t.is_string_like() {
            Val::Str {
                ptr: p[0],
                len: p[1],
                null: Some(p[2]),
            }
        } else {
            Val::Fixed {
                v: p[0],
                null: Some(p[1]),
            }
        }
    }

    /// A fresh stack slot of `size` bytes, 8-aligned.
    pub fn stack_slot(&mut self, size: u32) -> cranelift_codegen::ir::StackSlot {
        self.b
            .create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, size, 3))
    }

    /// Logical NOT of a boolean `i8` (0/1).
    pub fn bool_not(&mut self, v: Value) -> Value {
        self.b.ins().bxor_imm_u(v, 1)
    }

    /// `v != 0` as an i8.
    pub fn nonzero(&mut self, v: Value) -> Value {
        self.b.ins().icmp_imm_s(IntCC::NotEqual, v, 0)
    }

    /// Widens an integer value to i64 (sign-extending).
    #[allow(clippy::wrong_self_convention)] // emits code: `self` is the function builder
    pub fn to_i64(&mut self, v: Value) -> Value {
        if self.b.func.dfg.value_type(v) == types::I64 {
            v
        } else {
            self.b.ins().sextend(types::I64, v)
        }
    }

    /// The bits of a fixed-width value as an i64 (for error messages).
    pub fn bits(&mut self, v: Value) -> Value {
        let ty = self.b.func.dfg.value_type(v);
        if ty == types::F64 {
            self.b.ins().bitcast(types::I64, MemFlagsData::new(), v)
        } else if ty == types::F32 {
            // A FLOAT's exact double (what errors print).
            let d = self.b.ins().fpromote(types::F64, v);
            self.b.ins().bitcast(types::I64, MemFlagsData::new(), d)
        } else {
            self.to_i64(v)
        }
    }
}
