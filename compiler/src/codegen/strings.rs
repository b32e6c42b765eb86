//! Inline loops over bytes: equality, ordering, the key hash of
//! [`crate::agg_table::hash`], trimming spaces and counting characters.
//! Each leaves the builder in a fresh block where its result is available.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, InstBuilder, Value};

use crate::agg_table::hash;

use super::gen::{mem, Gen};

impl Gen<'_> {
    /// Byte equality of two strings, as an i8: lengths, then 8-byte words,
    /// the last (possibly overlapping) word, or a short string's bytes
    /// packed into one word.
    pub fn bytes_eq(&mut self, ap: Value, al: Value, bp: Value, bl: Value) -> Value {
        let done = self.b.create_block();
        self.b.append_block_param(done, types::I8);
        let same = self.b.create_block();
        let small = self.b.create_block();
        let hdr = self.b.create_block();
        let i = self.b.append_block_param(hdr, types::I64);
        let word = self.b.create_block();
        let last = self.b.create_block();
        let (zero, zero8) = (self.i64c(0), self.i8c(0));

        let same_len = self.b.ins().icmp(IntCC::Equal, al, bl);
        self.b
            .ins()
            .brif(same_len, same, &[], done, &[zero8.into()]);

        self.b.switch_to_block(same);
        let short = self.b.ins().icmp_imm_u(IntCC::UnsignedLessThan, al, 8);
        self.b.ins().brif(short, small, &[], hdr, &[zero.into()]);

        self.b.switch_to_block(small);
        let wa = self.load_small(ap, al);
        let wb = self.load_small(bp, al);
        let eq = self.b.ins().icmp(IntCC::Equal, wa, wb);
        self.b.ins().jump(done, &[eq.into()]);

        self.b.switch_to_block(hdr);
        let i8_ = self.b.ins().iadd_imm_s(i, 8);
        let fits = self.b.ins().icmp(IntCC::UnsignedLessThanOrEqual, i8_, al);
        self.b.ins().brif(fits, word, &[], last, &[]);

        self.b.switch_to_block(word);
        let pa = self.b.ins().iadd(ap, i);
        let pb = self.b.ins().iadd(bp, i);
        let wa = self.load(types::I64, pa, 0);
        let wb = self.load(types::I64, pb, 0);
        let same = self.b.ins().icmp(IntCC::Equal, wa, wb);
        self.b
            .ins()
            .brif(same, hdr, &[i8_.into()], done, &[zero8.into()]);

        // The last 8 bytes (overlapping the words already compared).
        self.b.switch_to_block(last);
        let pa = self.b.ins().iadd(ap, al);
        let pb = self.b.ins().iadd(bp, al);
        let wa = self.load(types::I64, pa, -8);
        let wb = self.load(types::I64, pb, -8);
        let eq = self.b.ins().icmp(IntCC::Equal, wa, wb);
        self.b.ins().jump(done, &[eq.into()]);

        self.b.switch_to_block(done);
        self.b.block_params(done)[0]
    }

    /// The `n` bytes (`n` < 8) at `p`, packed little-endian into an i64,
    /// reading no byte outside them: two overlapping 4-byte loads, or the
    /// first, middle and last bytes.
    fn load_small(&mut self, p: Value, n: Value) -> Value {
        let done = self.b.create_block();
        let w = self.b.append_block_param(done, types::I64);
        let some = self.b.create_block();
        let small = self.b.create_block();
        let mid = self.b.create_block();
        let zero = self.i64c(0);
        self.b.ins().brif(n, some, &[], done, &[zero.into()]);

        self.b.switch_to_block(some);
        let lt4 = self.b.ins().icmp_imm_u(IntCC::UnsignedLessThan, n, 4);
        self.b.ins().brif(lt4, small, &[], mid, &[]);

        self.b.switch_to_block(small);
        let m = self.b.ins().ushr_imm_u(n, 1);
        let n1 = self.b.ins().iadd_imm_s(n, -1);
        let b0 = self.b.ins().uload8(types::I64, mem(), p, 0);
        let pm = self.b.ins().iadd(p, m);
        let bm = self.b.ins().uload8(types::I64, mem(), pm, 0);
        let pl = self.b.ins().iadd(p, n1);
        let bl = self.b.ins().uload8(types::I64, mem(), pl, 0);
        let sm = self.b.ins().ishl_imm_u(m, 3);
        let bm = self.b.ins().ishl(bm, sm);
        let sl = self.b.ins().ishl_imm_u(n1, 3);
        let bl = self.b.ins().ishl(bl, sl);
        let x = self.b.ins().bor(b0, bm);
        let x = self.b.ins().bor(x, bl);
        self.b.ins().jump(done, &[x.into()]);

        self.b.switch_to_block(mid);
        let lo = self.b.ins().uload32(mem(), p, 0);
        let pe = self.b.ins().iadd(p, n);
        let hi = self.b.ins().uload32(mem(), pe, -4);
        let sh = self.b.ins().iadd_imm_s(n, -4);
        let sh = self.b.ins().ishl_imm_u(sh, 3);
        let hi = self.b.ins().ishl(hi, sh);
        let x = self.b.ins().bor(lo, hi);
        self.b.ins().jump(done, &[x.into()]);

        self.b.switch_to_block(done);
        w
    }

    /// Bytewise ordering of two strings: -1, 0 or 1 as an i64.
    pub fn bytes_cmp(&mut self, ap: Value, al: Value, bp: Value, bl: Value) -> Value {
        let done = self.b.create_block();
        let res = self.b.append_block_param(done, types::I64);
        let hdr = self.b.create_block();
        let i = self.b.append_block_param(hdr, types::I64);
        let word = self.b.create_block();
        let wdiff = self.b.create_block();
        let bhdr = self.b.create_block();
        let j = self.b.append_block_param(bhdr, types::I64);
        let bbody = self.b.create_block();
        let lens = self.b.create_block();
        let zero = self.i64c(0);
        let n = self.b.ins().umin(al, bl);
        self.b.ins().jump(hdr, &[zero.into()]);

        self.b.switch_to_block(hdr);
        let i8_ = self.b.ins().iadd_imm_s(i, 8);
        let fits = self.b.ins().icmp(IntCC::UnsignedLessThanOrEqual, i8_, n);
        self.b.ins().brif(fits, word, &[], bhdr, &[i.into()]);

        self.b.switch_to_block(word);
        let pa = self.b.ins().iadd(ap, i);
        let pb = self.b.ins().iadd(bp, i);
        let wa = self.load(types::I64, pa, 0);
        let wb = self.load(types::I64, pb, 0);
        let same = self.b.ins().icmp(IntCC::Equal, wa, wb);
        self.b.ins().brif(same, hdr, &[i8_.into()], wdiff, &[]);

        // The first differing byte decides: compare the words big-endian.
        self.b.switch_to_block(wdiff);
        let sa = self.b.ins().bswap(wa);
        let sb = self.b.ins().bswap(wb);
        let r = self.lt_minus_one(sa, sb);
        self.b.ins().jump(done, &[r.into()]);

        self.b.switch_to_block(bhdr);
        let more = self.b.ins().icmp(IntCC::UnsignedLessThan, j, n);
        self.b.ins().brif(more, bbody, &[], lens, &[]);

        self.b.switch_to_block(bbody);
        let pa = self.b.ins().iadd(ap, j);
        let pb = self.b.ins().iadd(bp, j);
        let ba = self.b.ins().uload8(types::I64, mem(), pa, 0);
        let bb = self.b.ins().uload8(types::I64, mem(), pb, 0);
        let j1 = self.b.ins().iadd_imm_s(j, 1);
        let same = self.b.ins().icmp(IntCC::Equal, ba, bb);
        let bdiff = self.b.create_block();
        self.b.ins().brif(same, bhdr, &[j1.into()], bdiff, &[]);
        self.b.switch_to_block(bdiff);
        let r = self.lt_minus_one(ba, bb);
        self.b.ins().jump(done, &[r.into()]);

        // Equal prefixes: the shorter string is smaller.
        self.b.switch_to_block(lens);
        let gt = self.b.ins().icmp(IntCC::UnsignedGreaterThan, al, bl);
        let lt = self.b.ins().icmp(IntCC::UnsignedLessThan, al, bl);
        let gt = self.b.ins().uextend(types::I64, gt);
        let lt = self.b.ins().uextend(types::I64, lt);
        let r = self.b.ins().isub(gt, lt);
        self.b.ins().jump(done, &[r.into()]);

        self.b.switch_to_block(done);
        res
    }

    /// -1 when `a < b` (unsigned), else 1 (the values differ).
    fn lt_minus_one(&mut self, a: Value, b: Value) -> Value {
        let lt = self.b.ins().icmp(IntCC::UnsignedLessThan, a, b);
        let m1 = self.i64c(-1);
        let p1 = self.i64c(1);
        self.b.ins().select(lt, m1, p1)
    }

    /// [`hash::combine`].
    pub fn hash_combine(&mut self, h: Value, v: Value) -> Value {
        let r = self.b.ins().rotl_imm_u(h, 5);
        let x = self.b.ins().bxor(r, v);
        self.b.ins().imul_imm_s(x, hash::K as i64)
    }

    /// [`hash::combine_bytes`]: 8-byte little-endian words, the tail packed
    /// into one word (if any), then the length. The tail of a string of 8
    /// bytes or more is read as its last 8 bytes, shifted.
    pub fn hash_bytes(&mut self, h0: Value, p: Value, n: Value) -> Value {
        let hdr = self.b.create_block();
        let h = self.b.append_block_param(hdr, types::I64);
        let i = self.b.append_block_param(hdr, types::I64);
        let word = self.b.create_block();
        let tail = self.b.create_block();
        let tailw = self.b.create_block();
        let big = self.b.create_block();
        let small = self.b.create_block();
        let fin = self.b.create_block();
        let w = self.b.append_block_param(fin, types::I64);
        let done = self.b.create_block();
        let hd = self.b.append_block_param(done, types::I64);
        let zero = self.i64c(0);
        self.b.ins().jump(hdr, &[h0.into(), zero.into()]);

        self.b.switch_to_block(hdr);
        let i8_ = self.b.ins().iadd_imm_s(i, 8);
        let fits = self.b.ins().icmp(IntCC::UnsignedLessThanOrEqual, i8_, n);
        self.b.ins().brif(fits, word, &[], tail, &[]);

        self.b.switch_to_block(word);
        let a = self.b.ins().iadd(p, i);
        let x = self.load(types::I64, a, 0);
        let h2 = self.hash_combine(h, x);
        self.b.ins().jump(hdr, &[h2.into(), i8_.into()]);

        self.b.switch_to_block(tail);
        let rem = self.b.ins().isub(n, i);
        self.b.ins().brif(rem, tailw, &[], done, &[h.into()]);

        self.b.switch_to_block(tailw);
        let long = self
            .b
            .ins()
            .icmp_imm_u(IntCC::UnsignedGreaterThanOrEqual, n, 8);
        self.b.ins().brif(long, big, &[], small, &[]);

        self.b.switch_to_block(big);
        let pe = self.b.ins().iadd(p, n);
        let x = self.load(types::I64, pe, -8);
        let eight = self.i64c(8);
        let sh = self.b.ins().isub(eight, rem);
        let sh = self.b.ins().ishl_imm_u(sh, 3);
        let x = self.b.ins().ushr(x, sh);
        self.b.ins().jump(fin, &[x.into()]);

        self.b.switch_to_block(small);
        let x = self.load_small(p, n);
        self.b.ins().jump(fin, &[x.into()]);

        self.b.switch_to_block(fin);
        let h3 = self.hash_combine(h, w);
        self.b.ins().jump(done, &[h3.into()]);

        self.b.switch_to_block(done);
        self.hash_combine(hd, n)
    }

    /// [`hash::finish`].
    pub fn hash_finish(&mut self, h: Value) -> Value {
        let mut h = h;
        for k in [0xff51_afd7_ed55_8ccd_u64, 0xc4ce_b9fe_1a85_ec53] {
            let s = self.b.ins().ushr_imm_u(h, 33);
            h = self.b.ins().bxor(h, s);
            h = self.b.ins().imul_imm_s(h, k as i64);
        }
        let s = self.b.ins().ushr_imm_u(h, 33);
        self.b.ins().bxor(h, s)
    }

    /// Strips spaces from the start (`left`) and/or the end (`right`).
    pub fn trim_spaces(&mut self, p: Value, n: Value, left: bool, right: bool) -> (Value, Value) {
        let (mut p, mut n) = (p, n);
        if left {
            let hdr = self.b.create_block();
            let hp = self.b.append_block_param(hdr, types::I64);
            let hn = self.b.append_block_param(hdr, types::I64);
            let chk = self.b.create_block();
            let done = self.b.create_block();
            let dp = self.b.append_block_param(done, types::I64);
            let dn = self.b.append_block_param(done, types::I64);
            self.b.ins().jump(hdr, &[p.into(), n.into()]);
            self.b.switch_to_block(hdr);
            self.b
                .ins()
                .brif(hn, chk, &[], done, &[hp.into(), hn.into()]);
            self.b.switch_to_block(chk);
            let c = self.b.ins().uload8(types::I32, mem(), hp, 0);
            let sp = self.b.ins().icmp_imm_u(IntCC::Equal, c, b' ' as i64);
            let p1 = self.b.ins().iadd_imm_s(hp, 1);
            let n1 = self.b.ins().iadd_imm_s(hn, -1);
            self.b.ins().brif(
                sp,
                hdr,
                &[p1.into(), n1.into()],
                done,
                &[hp.into(), hn.into()],
            );
            self.b.switch_to_block(done);
            (p, n) = (dp, dn);
        }
        if right {
            let hdr = self.b.create_block();
            let hn = self.b.append_block_param(hdr, types::I64);
            let chk = self.b.create_block();
            let done = self.b.create_block();
            let dn = self.b.append_block_param(done, types::I64);
            self.b.ins().jump(hdr, &[n.into()]);
            self.b.switch_to_block(hdr);
            self.b.ins().brif(hn, chk, &[], done, &[hn.into()]);
            self.b.switch_to_block(chk);
            let last = self.b.ins().iadd(p, hn);
            let c = self.b.ins().uload8(types::I32, mem(), last, -1);
            let sp = self.b.ins().icmp_imm_u(IntCC::Equal, c, b' ' as i64);
            let n1 = self.b.ins().iadd_imm_s(hn, -1);
            self.b.ins().brif(sp, hdr, &[n1.into()], done, &[hn.into()]);
            self.b.switch_to_block(done);
            n = dn;
        }
        (p, n)
    }

    /// The number of UTF-8 characters (bytes that are not continuation bytes).
    pub fn char_count(&mut self, p: Value, n: Value) -> Value {
        let hdr = self.b.create_block();
        let i = self.b.append_block_param(hdr, types::I64);
        let c = self.b.append_block_param(hdr, types::I64);
        let body = self.b.create_block();
        let done = self.b.create_block();
        let r = self.b.append_block_param(done, types::I64);
        let zero = self.i64c(0);
        self.b.ins().jump(hdr, &[zero.into(), zero.into()]);
        self.b.switch_to_block(hdr);
        let more = self.b.ins().icmp(IntCC::UnsignedLessThan, i, n);
        self.b.ins().brif(more, body, &[], done, &[c.into()]);
        self.b.switch_to_block(body);
        let a = self.b.ins().iadd(p, i);
        let byte = self.b.ins().uload8(types::I64, mem(), a, 0);
        let top = self.b.ins().band_imm_u(byte, 0xC0);
        let starts = self.b.ins().icmp_imm_u(IntCC::NotEqual, top, 0x80);
        let starts = self.b.ins().uextend(types::I64, starts);
        let c1 = self.b.ins().iadd(c, starts);
        let i1 = self.b.ins().iadd_imm_s(i, 1);
        self.b.ins().jump(hdr, &[i1.into(), c1.into()]);
        self.b.switch_to_block(done);
        r
    }
}
