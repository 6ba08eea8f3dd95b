// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title ATLAS arithmetic, integer and exact; every rounding goes against the account
/// @notice docs/RISK.md states each formula; sdk/src/math/atlas.ts copies this file line by line.
library AtlasMath {
    uint256 internal constant BPS = 10_000;
    uint256 internal constant WAD = 1e18;

    /// @dev One asset of the account: its balance split by kind, risk parameters and prices.
    struct Entry {
        address token;
        uint256 decimals;
        uint256 shockBps;
        uint256 slippageBps;
        uint256 haircutBps;
        uint256 idleAtoms;
        uint256 lentAtoms;
        uint256 debtAtoms;
        uint256 pocketAtoms;
        uint256 borrowRateWad;
        uint256 debtInterestSeconds;
        uint256 priceWad;
        uint256 stableWad;
    }

    /// @dev Funds an account has locked behind resting orders on one spot book: bids lock quote,
    /// asks lock base. Indices point into the Entry array.
    struct Book {
        uint256 baseIndex;
        uint256 quoteIndex;
        uint256 lockedBaseAtoms;
        uint256 lockedQuoteAtoms;
    }

    /// @notice Adjusted balance x in atoms: idle + pockets + lent × haircut − debt × (1 + r × T).
    /// Lent value rounds down and debt rounds up: both against the account.
    function adjusted(Entry memory e) internal pure returns (int256) {
        uint256 plus = e.idleAtoms + e.pocketAtoms + (e.lentAtoms * e.haircutBps) / BPS;
        uint256 minus = divUp(e.debtAtoms * (WAD + e.borrowRateWad * e.debtInterestSeconds), WAD);
        return int256(plus) - int256(minus);
    }

    /// @notice USD WAD value of `atoms` at `priceWad`: rounded down for holdings, up for debts.
    function usd(int256 atoms, uint256 priceWad, uint256 decimals) internal pure returns (int256) {
        uint256 unit = 10 ** decimals;
        if (atoms >= 0) return int256((uint256(atoms) * priceWad) / unit);
        return -int256(divUp(uint256(-atoms) * priceWad, unit));
    }

    /// @notice Account value: maintenance when scaleBps = 10_000 and `conservative` is false,
    /// initial with the scale and the conservative price. The one-pass `risk` computes it.
    function value(Entry[] memory e, Book[] memory b, uint256 scaleBps, bool conservative)
        internal
        pure
        returns (int256 total)
    {
        (, int256 maint, int256 init) = risk(e, b, scaleBps, conservative ? 2 : 1);
        return conservative ? init : maint;
    }

    /// @notice Per-asset value: min over the up and down scenarios of the shocked value, each less
    /// the worst case of the resting orders on books whose base is this asset.
    function values(Entry[] memory e, Book[] memory b, uint256 scaleBps, bool conservative)
        internal
        pure
        returns (int256[] memory v)
    {
        uint256 n = e.length;
        int256[] memory x = new int256[](n);
        uint256[] memory px = new uint256[](n);
        uint256[] memory hs = new uint256[](n); // h' + s' per asset
        for (uint256 i; i < n; ++i) {
            x[i] = adjusted(e[i]);
            px[i] = conservative ? conservativePrice(e[i], x[i]) : e[i].priceWad;
            hs[i] = scaled(e[i].shockBps, scaleBps) + scaled(e[i].slippageBps, scaleBps);
        }
        (int256[] memory downCharge, int256[] memory upCharge) = charges(e, b, px, hs);
        return worse(e, x, px, scaleBps, downCharge, upCharge);
    }

    /// @notice min(up − up charge, down − down charge) per asset.
    function worse(
        Entry[] memory e,
        int256[] memory x,
        uint256[] memory px,
        uint256 scaleBps,
        int256[] memory downCharge,
        int256[] memory upCharge
    ) internal pure returns (int256[] memory v) {
        v = new int256[](e.length);
        for (uint256 i; i < e.length; ++i) {
            int256 up = upValue(e[i], x[i], px[i], scaleBps) - upCharge[i];
            int256 down = downValue(e[i], x[i], px[i], scaleBps) - downCharge[i];
            v[i] = up < down ? up : down;
        }
    }

    /// @notice Worst case of resting orders, per base asset: a bid may fill just before the base
    /// falls, an ask just before it rises; each is charged (h' + s') of its notional, rounded up,
    /// in the scenario that hurts it.
    function charges(Entry[] memory e, Book[] memory b, uint256[] memory px, uint256[] memory hs)
        internal
        pure
        returns (int256[] memory downCharge, int256[] memory upCharge)
    {
        downCharge = new int256[](e.length);
        upCharge = new int256[](e.length);
        for (uint256 j; j < b.length; ++j) {
            Book memory k = b[j];
            int256 bidUsd = usd(int256(k.lockedQuoteAtoms), px[k.quoteIndex], e[k.quoteIndex].decimals);
            int256 askUsd = usd(int256(k.lockedBaseAtoms), px[k.baseIndex], e[k.baseIndex].decimals);
            downCharge[k.baseIndex] += int256(divUp(uint256(bidUsd) * hs[k.baseIndex], BPS));
            upCharge[k.baseIndex] += int256(divUp(uint256(askUsd) * hs[k.baseIndex], BPS));
        }
    }

    /// @notice Value in the up scenario: x at P·(1 + h' − s'·sign(x)), rounded toward −∞.
    /// (Slippage always works against the holder: it lowers a long and raises a short.)
    function upValue(Entry memory e, int256 x, uint256 p, uint256 scaleBps) internal pure returns (int256) {
        int256 slip = x >= 0 ? -int256(scaled(e.slippageBps, scaleBps)) : int256(scaled(e.slippageBps, scaleBps));
        return floorDiv(usd(x, p, e.decimals) * (int256(BPS + scaled(e.shockBps, scaleBps)) + slip), int256(BPS));
    }

    /// @notice Value in the down scenario: x at P·(1 − h' − s'·sign(x)), rounded toward −∞.
    function downValue(Entry memory e, int256 x, uint256 p, uint256 scaleBps) internal pure returns (int256) {
        int256 slip = x >= 0 ? -int256(scaled(e.slippageBps, scaleBps)) : int256(scaled(e.slippageBps, scaleBps));
        return floorDiv(usd(x, p, e.decimals) * (int256(BPS) - int256(scaled(e.shockBps, scaleBps)) + slip), int256(BPS));
    }

    /// @notice Shock or slippage scaled for initial margin, rounded up (more conservative).
    function scaled(uint256 bps, uint256 scaleBps) internal pure returns (uint256) {
        return divUp(bps * scaleBps, BPS);
    }

    /// @notice For initial margin: the lower of oracle and stable price for what the account
    /// holds, the higher for what it owes.
    function conservativePrice(Entry memory e, int256 x) internal pure returns (uint256) {
        uint256 p = e.priceWad;
        uint256 s = e.stableWad;
        if (x >= 0) return p < s ? p : s;
        return p > s ? p : s;
    }

    /// @notice Equity (mode 3), maintenance value (mode bit 1) and initial value (mode bit 2) in one
    /// pass: the same formulas and roundings as `values`, each adjusted balance and unit computed once.
    function risk(Entry[] memory e, Book[] memory b, uint256 scaleBps, uint256 mode)
        internal pure returns (int256 equityWad, int256 maintWad, int256 initWad)
    {
        uint256 n = e.length;
        int256[] memory vm = new int256[](2 * n);
        int256[] memory vi = new int256[](2 * n);
        uint256[] memory pi = new uint256[](n);
        for (uint256 i; i < n; ++i) equityWad += _entry(e[i], i, scaleBps, vm, vi, pi, mode);
        for (uint256 j; j < b.length; ++j) _book(e, b[j], scaleBps, vm, vi, pi);
        for (uint256 i; i < n; ++i) {
            (int256 a, int256 c) = (vm[2 * i], vm[2 * i + 1]);
            maintWad += a < c ? a : c;
            (a, c) = (vi[2 * i], vi[2 * i + 1]);
            initWad += a < c ? a : c;
        }
    }

    function _entry(Entry memory t, uint256 i, uint256 scaleBps, int256[] memory vm, int256[] memory vi,
        uint256[] memory pi, uint256 mode) private pure returns (int256 eq)
    {
        int256 x = adjusted(t);
        uint256 unit = 10 ** t.decimals;
        if (mode == 3) eq = _usd(int256(t.idleAtoms + t.pocketAtoms + t.lentAtoms) - int256(t.debtAtoms), t.priceWad, unit);
        int256 u = _usd(x, t.priceWad, unit);
        if (mode & 1 != 0) {
            int256 h0 = int256(t.shockBps);
            int256 s0 = x >= 0 ? -int256(t.slippageBps) : int256(t.slippageBps);
            vm[2 * i] = floorDiv(u * (int256(BPS) + h0 + s0), int256(BPS));
            vm[2 * i + 1] = floorDiv(u * (int256(BPS) - h0 + s0), int256(BPS));
        }
        if (mode & 2 == 0) { pi[i] = t.priceWad; return eq; }
        uint256 pc = conservativePrice(t, x);
        pi[i] = pc;
        if (pc != t.priceWad) u = _usd(x, pc, unit);
        int256 h = int256(scaled(t.shockBps, scaleBps));
        int256 slip = int256(scaled(t.slippageBps, scaleBps));
        if (x >= 0) slip = -slip;
        vi[2 * i] = floorDiv(u * (int256(BPS) + h + slip), int256(BPS));
        vi[2 * i + 1] = floorDiv(u * (int256(BPS) - h + slip), int256(BPS));
    }

    function _book(Entry[] memory e, Book memory k, uint256 scaleBps, int256[] memory vm, int256[] memory vi,
        uint256[] memory pi) private pure
    {
        Entry memory bq = e[k.quoteIndex];
        Entry memory bb = e[k.baseIndex];
        uint256 hs = bb.shockBps + bb.slippageBps;
        uint256 bi = 2 * k.baseIndex;
        vm[bi] -= int256(divUp(uint256(usd(int256(k.lockedBaseAtoms), bb.priceWad, bb.decimals)) * hs, BPS));
        vm[bi + 1] -= int256(divUp(uint256(usd(int256(k.lockedQuoteAtoms), bq.priceWad, bq.decimals)) * hs, BPS));
        hs = scaled(bb.shockBps, scaleBps) + scaled(bb.slippageBps, scaleBps);
        vi[bi] -= int256(divUp(uint256(usd(int256(k.lockedBaseAtoms), pi[k.baseIndex], bb.decimals)) * hs, BPS));
        vi[bi + 1] -= int256(divUp(uint256(usd(int256(k.lockedQuoteAtoms), pi[k.quoteIndex], bq.decimals)) * hs, BPS));
    }

    function _usd(int256 atoms, uint256 priceWad, uint256 unit) private pure returns (int256) {
        if (atoms >= 0) return int256((uint256(atoms) * priceWad) / unit);
        return -int256(divUp(uint256(-atoms) * priceWad, unit));
    }

    function divUp(uint256 a, uint256 b) internal pure returns (uint256) {
        return a == 0 ? 0 : (a - 1) / b + 1;
    }

    /// @notice Division rounding toward negative infinity (against the account for both signs).
    function floorDiv(int256 a, int256 b) internal pure returns (int256 q) {
        q = a / b;
        if ((a % b != 0) && ((a < 0) != (b < 0))) q -= 1;
    }
}
