// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IAtlas} from "../interfaces/IAtlas.sol";
import {MathLib} from "./MathLib.sol";

/// @title ATLAS arithmetic, integer and exact; every rounding goes against the account
/// @notice docs/RISK.md states each formula; sdk/src/math/atlas.ts computes the same ones, to the wei.
/// @dev The arithmetic is unchecked (it is ATLAS's hot loop: checked math cost ~3k gas per asset).
/// That is safe because every input is bounded where it enters: `adjusted` (which every path
/// runs on an entry before using its other fields) requires atoms below 2^128, rates below 2^64,
/// basis points below 2^16 and the impact notional below 2^128, and `_usd` (checked) requires
/// every USD value below 2^200. With ≤ 2^15 for any basis-point factor and ≤ 2^8 entries no sum or
/// product below can reach 2^255; the squared notional of `_liquidity` is checked on its own.
/// Out-of-range inputs revert `ValuationOutOfRange` (the checked version reverted with a panic there).
/// Every rounding is named through MathLib (`…Up` against the account for what it owes or is
/// charged, `…Down` for what it holds); the products inside those bounds use MathLib's
/// `…Unchecked` forms, so the names cost no gas.
library AtlasMath {
    uint256 internal constant BPS = 10_000;
    uint256 internal constant WAD = 1e18;

    /// @dev Bytes of one `Entry` in memory (28 words). `RiskLib` allocates and zeroes entries
    /// with this size, and reads `token` as the word at an entry's address: a field added, removed
    /// or moved before `token` must change this too (test/unit/atlas.layout.test.ts checks both).
    uint256 internal constant ENTRY_BYTES = 0x380;

    /// @dev One asset of the account: its balance split by kind, risk parameters and prices.
    struct Entry {
        address token;
        /// @dev 10 ** the token's decimals
        uint256 unit;
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
        // perps on this underlying (summed over its perp markets), and on the quote entry their cash
        bool hasPerp;
        int256 perpAtoms;
        uint256 perpBidAtoms;
        uint256 perpAskAtoms;
        int256 perpCashAtoms;
        uint256 perpLiquidityBps;
        uint256 perpImpactUsd;
        uint256 basisBps;
        uint256 floorBps;
        /// @dev adjusted(this), cached by each valuation pass for the steps after it
        int256 xAtoms;
        /// @dev the pass's scenario values before the final min (maintenance up/down, initial
        /// up/down) and the initial price: fields, not arrays, so no index is bounds-checked
        int256 mUp;
        int256 mDown;
        int256 iUp;
        int256 iDown;
        uint256 initPriceWad;
    }

    /// @dev Funds an account has locked behind resting orders on one spot book: bids lock quote,
    /// asks lock base. Indices point into the Entry array.
    struct Book {
        uint256 baseIndex;
        uint256 quoteIndex;
        uint256 lockedBaseAtoms;
        uint256 lockedQuoteAtoms;
    }

    /// @notice Adjusted balance x in atoms: idle + pockets + lent × haircut − debt × (1 + r × T),
    /// plus the cash legs of perp positions settled in this asset.
    /// Lent value rounds down and debt rounds up: both against the account.
    function adjusted(Entry memory e) internal pure returns (int256) { unchecked {
        // the perp fields are written only together with `hasPerp` (the gatherer's `_perp`): zero without it
        uint256 big = e.idleAtoms | e.pocketAtoms | e.lentAtoms | e.debtAtoms | _abs(e.perpCashAtoms);
        uint256 bps = e.shockBps | e.slippageBps | e.haircutBps;
        if (e.hasPerp) {
            big |= _abs(e.perpAtoms) | e.perpBidAtoms | e.perpAskAtoms | e.perpImpactUsd;
            bps |= e.perpLiquidityBps | e.basisBps | e.floorBps;
        }
        require(
            big < 2 ** 128 && (e.borrowRateWad | e.debtInterestSeconds) < 2 ** 64 && bps < 2 ** 16,
            IAtlas.ValuationOutOfRange()
        );
        int256 v = int256(e.idleAtoms + e.pocketAtoms) + e.perpCashAtoms;
        if (e.lentAtoms != 0) v += int256(_bpsDown(e.lentAtoms, e.haircutBps));
        if (e.debtAtoms != 0) v -= int256(MathLib.mulDivUpUnchecked(e.debtAtoms, WAD + e.borrowRateWad * e.debtInterestSeconds, WAD));
        return v;
    }}

    /// @notice Spot (adjusted) plus perp exposure to the asset's price, in atoms.
    function netExposure(Entry memory e) internal pure returns (int256) {
        return adjusted(e) + e.perpAtoms;
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

    /// @notice Per-asset value (maintenance, or initial with `conservative`): the same pass as `risk`.
    function values(Entry[] memory e, Book[] memory b, uint256 scaleBps, bool conservative)
        internal
        pure
        returns (int256[] memory v)
    { unchecked {
        _pass(e, b, scaleBps, conservative ? 2 : 1);
        v = new int256[](e.length);
        for (uint256 i; i < e.length; ++i) {
            Entry memory t = e[i];
            v[i] = conservative
                ? _final(t, t.iUp, t.iDown, t.initPriceWad, scaleBps)
                : _final(t, t.mUp, t.mDown, t.priceWad, BPS);
        }
    }}

    /// @notice Shock or slippage scaled for initial margin, rounded up (more conservative).
    function scaled(uint256 bps, uint256 scaleBps) internal pure returns (uint256) { unchecked {
        return MathLib.mulDivUpUnchecked(bps, scaleBps, BPS);
    }}

    /// @notice For initial margin: the lower of oracle and stable price for what the account
    /// holds, the higher for what it owes.
    function conservativePrice(Entry memory e, int256 x) internal pure returns (uint256) { unchecked {
        x += e.perpAtoms; // the net exposure decides which price is the conservative one
        uint256 p = e.priceWad;
        uint256 s = e.stableWad;
        if (x >= 0) return p < s ? p : s;
        return p > s ? p : s;
    }}

    /// @notice Equity (mode bit 4), maintenance value (mode bit 1) and initial value (mode bit 2) in
    /// one pass, each only when its bit is set (a liquidation's check asks for equity and
    /// maintenance only, and skips the conservative scenarios): per asset the worse of the up and down
    /// scenarios less the resting orders' worst case,
    /// then, where perps trade on the asset, the basis charge and the gross-notional floor.
    function risk(Entry[] memory e, Book[] memory b, uint256 scaleBps, uint256 mode)
        internal pure returns (int256 equityWad, int256 maintWad, int256 initWad)
    { unchecked {
        equityWad = _pass(e, b, scaleBps, mode);
        uint256 n = e.length;
        if (n == 0) return (equityWad, 0, 0);
        Entry memory t = e[0]; // points at each entry in turn below (no allocation, no bounds check)
        for (uint256 i; i < n; ++i) {
            // Equivalent to: `t = e[i];` (i < n = e.length), without the bounds check. Not a
            // function: one returning `Entry memory` allocates and zeroes a 28-word struct first
            // (+2.2k an asset). Tested: test/unit/math.lib.test.ts ("AtlasMath's entry walk").
            assembly ("memory-safe") {
                t := mload(add(e, shl(5, add(i, 1))))
            }
            if (mode & 1 != 0) maintWad += _final(t, t.mUp, t.mDown, t.priceWad, BPS);
            if (mode & 2 != 0) initWad += _final(t, t.iUp, t.iDown, t.initPriceWad, scaleBps);
        }
    }}

    /// @notice Initial-margin requirement of the portfolio and of plain cross margin (each leg, spot
    /// and perp, margined alone), both at the initial scale and conservative prices:
    /// requirement = value at the price − value under the shocks, summed over assets.
    function requirements(Entry[] memory e, Book[] memory b, uint256 scaleBps)
        internal pure returns (int256 portfolioWad, int256 crossWad)
    { unchecked {
        _pass(e, b, scaleBps, 2);
        for (uint256 i; i < e.length; ++i) {
            Entry memory t = e[i];
            (int256 p, int256 c) = _requirement(t, t.iUp, t.iDown, t.initPriceWad, scaleBps);
            portfolioWad += p;
            crossWad += c;
        }
    }}

    /// @dev One asset's portfolio and cross requirements from its two scenario values.
    function _requirement(Entry memory t, int256 vUp, int256 vDown, uint256 p, uint256 scaleBps)
        private pure returns (int256 portfolio, int256 cross)
    { unchecked {
        uint256 unit = _unit(t);
        int256 x = adjusted(t);
        int256 ux = _usd(x, p, unit);
        int256 pu = _usd(t.perpAtoms, p, unit);
        portfolio = ux + pu - _final(t, vUp, vDown, p, scaleBps);
        // the spot leg alone: its own scenarios, with the resting spot orders' charges
        (int256 su, int256 sd) = _spotAlone(t, x, p, scaleBps, vUp, vDown);
        cross = ux - (su < sd ? su : sd);
        if (t.hasPerp) {
            // the perp leg alone (the netted scenarios with no spot), with its own floor on its gross notional
            (int256 perpUp, int256 perpDown) = _netted(t, 0, p, scaleBps);
            int256 req = pu - (perpUp < perpDown ? perpUp : perpDown);
            int256 fl = int256(_bpsUp(_abs(pu), scaled(t.floorBps, scaleBps)));
            cross += req > fl ? req : fl;
        }
    }}

    /// @dev The spot leg's scenarios alone, with the resting spot orders' charges (the difference
    /// between the scenario values given, which include them, and the asset's own scenarios).
    function _spotAlone(Entry memory t, int256 x, uint256 p, uint256 scaleBps, int256 vUp, int256 vDown)
        private pure returns (int256 up, int256 down)
    { unchecked {
        (int256 ou, int256 od) = _scenarios(t, x, p, scaleBps);
        (up, down) = _spotScenarios(t, x, p, scaleBps);
        (up, down) = (up + vUp - ou, down + vDown - od);
    }}

    /// @dev Equity, and each entry's scenario values (its mUp..iDown fields) before the final min.
    function _pass(Entry[] memory e, Book[] memory b, uint256 scaleBps, uint256 mode)
        private pure returns (int256 equityWad)
    { unchecked {
        uint256 n = e.length;
        if (n != 0) {
            Entry memory t = e[0]; // points at each entry in turn (no allocation, no bounds check)
            for (uint256 i; i < n; ++i) {
                // Equivalent to: `t = e[i];` (i < n = e.length), as in `risk`.
                assembly ("memory-safe") {
                    t := mload(add(e, shl(5, add(i, 1))))
                }
                equityWad += _entry(t, scaleBps, mode);
            }
        }
        for (uint256 j; j < b.length; ++j) _book(e, b[j], scaleBps, mode);
    }}

    /// @dev min(up, down), less the basis charge on the hedged part, capped by the floor.
    function _final(Entry memory t, int256 up, int256 down, uint256 p, uint256 scaleBps)
        private pure returns (int256 v)
    { unchecked {
        v = up < down ? up : down;
        if (!t.hasPerp) return v;
        int256 x = t.xAtoms; // adjusted(t), from this pass
        int256 y = t.perpAtoms;
        // |x|·p/unit and |y|·p/unit rounded down and up, one product each
        (uint256 xd, uint256 xu) = _usdBoth(_abs(x), p, _unit(t));
        (uint256 yd, uint256 yu) = _usdBoth(_abs(y), p, _unit(t));
        if ((x > 0) != (y > 0)) {
            // usd(min(|x|, |y|)) rounded down = min of the two rounded down (flooring is monotone);
            // with x or y zero it is 0 and so is the charge
            v -= int256(_bpsUp(xd < yd ? xd : yd, scaled(t.basisBps, scaleBps)));
        }
        // usd(x) + usd(y): holdings rounded down, debts up (as _usd)
        int256 mid = (x >= 0 ? int256(xd) : -int256(xu)) + (y >= 0 ? int256(yd) : -int256(yu));
        int256 cap = mid - int256(_bpsUp(xd + yd, scaled(t.floorBps, scaleBps)));
        if (cap < v) v = cap;
    }}

    function _entry(Entry memory t, uint256 scaleBps, uint256 mode) private pure returns (int256 eq) { unchecked {
        int256 x = adjusted(t);
        t.xAtoms = x;
        uint256 unit = _unit(t);
        uint256 p = t.priceWad;
        if (mode & 4 != 0) {
            int256 net = int256(t.idleAtoms + t.pocketAtoms + t.lentAtoms) - int256(t.debtAtoms) + t.perpCashAtoms;
            eq = _usd(net, p, unit);
            if (t.hasPerp) eq += _usd(t.perpAtoms, p, unit);
        }
        if (!t.hasPerp) {
            // spot alone: x valued once per price, the maintenance bps taken as they are (scale 1)
            int256 u = _usd(x, p, unit);
            if (mode & 1 != 0) (t.mUp, t.mDown) = _spotPair(u, x >= 0, t.shockBps, t.slippageBps);
            if (mode & 2 == 0) { t.initPriceWad = p; return eq; }
            uint256 c = conservativePrice(t, x);
            t.initPriceWad = c;
            if (c != p) u = _usd(x, c, unit);
            (t.iUp, t.iDown) = _spotPair(u, x >= 0, scaled(t.shockBps, scaleBps), scaled(t.slippageBps, scaleBps));
            return eq;
        }
        if (mode & 1 != 0) (t.mUp, t.mDown) = _netted(t, x, p, BPS);
        if (mode & 2 == 0) { t.initPriceWad = p; return eq; }
        uint256 pc = conservativePrice(t, x);
        t.initPriceWad = pc;
        (t.iUp, t.iDown) = _netted(t, x, pc, scaleBps);
    }}

    /// @dev A spot value `u` (USD WAD of x) at P·(1 ± h − s·sign(x)), each rounded toward −∞.
    function _spotPair(int256 u, bool long, uint256 h, uint256 s) private pure returns (int256 up, int256 down) {
        unchecked {
            int256 slip = long ? -int256(s) : int256(s);
            up = MathLib.sDivFloor(u * (int256(BPS + h) + slip), BPS);
            down = MathLib.sDivFloor(u * (int256(BPS) - int256(h) + slip), BPS);
        }
    }

    /// @dev The asset's two scenario values: spot alone, or spot and perps netted.
    function _scenarios(Entry memory t, int256 x, uint256 p, uint256 scaleBps) private pure returns (int256, int256) {
        return t.hasPerp ? _netted(t, x, p, scaleBps) : _spotScenarios(t, x, p, scaleBps);
    }

    /// @dev Spot x and perps y of one underlying in one scenario pair: (x + y) at P·(1 ± h'), open
    /// perp asks filled in the up scenario and bids in the down one (charged h' of their notional),
    /// less the liquidity cost of what is not hedged in that scenario. A perfect hedge therefore
    /// costs nothing here: only the basis charge (and the floor) apply to it, in `_final`.
    function _netted(Entry memory t, int256 x, uint256 p, uint256 scaleBps)
        private pure returns (int256 up, int256 down)
    { unchecked {
        uint256 unit = _unit(t);
        // the scaled bps once for both scenarios
        uint256 h = scaled(t.shockBps, scaleBps);
        uint256 s = scaled(t.slippageBps, scaleBps);
        uint256 liq = scaled(t.perpLiquidityBps, scaleBps);
        int256 y = t.perpAtoms;
        int256 u = _usd(x, p, unit) + _usd(y, p, unit);
        // scenario values toward −∞ (MathLib.sDivFloor): against the account for both signs
        up = MathLib.sDivFloor(u * int256(BPS + h), BPS);
        up -= int256(_bpsUp(uint256(_usd(int256(t.perpAskAtoms), p, unit)), h));
        up -= _unhedgedCost(t, x, y - int256(t.perpAskAtoms), p, scaleBps, s, liq);
        down = MathLib.sDivFloor(u * (int256(BPS) - int256(h)), BPS);
        down -= int256(_bpsUp(uint256(_usd(int256(t.perpBidAtoms), p, unit)), h));
        down -= _unhedgedCost(t, x, y + int256(t.perpBidAtoms), p, scaleBps, s, liq);
    }}

    /// @dev Slippage on the spot and liquidity on the perp exposure beyond the hedged part
    /// (min(|x|, |y|) when they have opposite signs), each rounded up.
    /// `s` and `liq` are the slippage and liquidity bps already scaled.
    function _unhedgedCost(Entry memory t, int256 x, int256 y, uint256 p, uint256 scaleBps, uint256 s, uint256 liq)
        private pure returns (int256)
    { unchecked {
        uint256 ax = _abs(x);
        uint256 ay = _abs(y);
        if (x != 0 && y != 0 && (x > 0) != (y > 0)) {
            uint256 hedged = ax < ay ? ax : ay;
            (ax, ay) = (ax - hedged, ay - hedged);
        }
        uint256 slip = _bpsUp(uint256(_usd(int256(ax), p, _unit(t))), s);
        return int256(slip) + _liquidity(t, ay, p, scaleBps, liq);
    }}

    /// @dev x at P·(1 ± h' − s'·sign(x)), rounded toward −∞ (slippage always against the holder).
    function _spotScenarios(Entry memory t, int256 x, uint256 p, uint256 scaleBps)
        private pure returns (int256 up, int256 down)
    {
        return _spotPair(_usd(x, p, _unit(t)), x >= 0, scaled(t.shockBps, scaleBps), scaled(t.slippageBps, scaleBps));
    }

    /// @dev Liquidity charge on a perp exposure of `atoms`: notional × liquidity bps, plus
    /// notional² / impact notional (the cost of closing a large position grows with its size), the
    /// latter capped at notional × (1 − h' − liq) / 2 (h' the scaled shock): the charge then grows at
    /// most (1 − h') per dollar of notional, so a position's value never falls as the price moves its
    /// way (a winning long never becomes liquidatable) and never rises as it moves against it.
    /// `liq` is the liquidity bps already scaled.
    function _liquidity(Entry memory t, uint256 atoms, uint256 p, uint256 scaleBps, uint256 liq)
        private pure returns (int256)
    { unchecked {
        uint256 n = uint256(_usd(int256(atoms), p, _unit(t)));
        uint256 c = _bpsUp(n, liq);
        if (t.perpImpactUsd != 0) {
            uint256 den = t.perpImpactUsd * WAD * BPS; // < 2^128 · 2^60 · 2^14 (bounded in `adjusted`)
            // n² × scale fits 256 bits below n = 2^120; above (what-if probes at extreme prices) the
            // same quotient, rounded up, through a 512-bit product
            uint256 impact =
                n < 2 ** 120 ? MathLib.mulDivUpUnchecked(n * n, scaleBps, den) : MathLib.fullMulDivUp(n, n * scaleBps, den);
            // the cap, rounded down: its slope (1 − h' − liq) / 2 is the most the charge may grow at
            // (a rounded-up cap could make a winning position's value fall by a wei); 0 if h' + liq ≥ 1
            uint256 hl = scaled(t.shockBps, scaleBps) + liq;
            uint256 cap = hl < BPS ? MathLib.mulDivDownUnchecked(n, BPS - hl, 2 * BPS) : 0;
            c += impact < cap ? impact : cap;
        }
        require(c < 2 ** 200, IAtlas.ValuationOutOfRange());
        return int256(c);
    }}

    /// @dev ⌈x · bps / 10⁴⌉ and ⌊x · bps / 10⁴⌋ unchecked: x < 2^200 and bps < 2^17 on every path (header).
    function _bpsUp(uint256 x, uint256 bps) private pure returns (uint256) {
        return MathLib.mulDivUpUnchecked(x, bps, BPS);
    }

    function _bpsDown(uint256 x, uint256 bps) private pure returns (uint256) {
        return MathLib.mulDivDownUnchecked(x, bps, BPS);
    }

    function _abs(int256 x) private pure returns (uint256) {
        return uint256(x >= 0 ? x : -x);
    }

    /// @dev Each scenario pair only where the pass computes it (`mode` as in `risk`).
    function _book(Entry[] memory e, Book memory k, uint256 scaleBps, uint256 mode) private pure
    { unchecked {
        Entry memory bq = e[k.quoteIndex];
        Entry memory bb = e[k.baseIndex];
        uint256 hs;
        if (mode & 1 != 0) {
            hs = bb.shockBps + bb.slippageBps;
            bb.mUp -= int256(_bpsUp(uint256(_usd(int256(k.lockedBaseAtoms), bb.priceWad, _unit(bb))), hs));
            bb.mDown -= int256(_bpsUp(uint256(_usd(int256(k.lockedQuoteAtoms), bq.priceWad, _unit(bq))), hs));
        }
        if (mode & 2 == 0) return;
        hs = scaled(bb.shockBps, scaleBps) + scaled(bb.slippageBps, scaleBps);
        bb.iUp -= int256(_bpsUp(uint256(_usd(int256(k.lockedBaseAtoms), bb.initPriceWad, _unit(bb))), hs));
        bb.iDown -= int256(_bpsUp(uint256(_usd(int256(k.lockedQuoteAtoms), bq.initPriceWad, _unit(bq))), hs));
    }}

    function _unit(Entry memory t) private pure returns (uint256) {
        return t.unit;
    }

    /// @dev USD WAD value of `atoms` at `priceWad` (`unit` = 10^decimals): rounded down for holdings, up for debts.
    /// @dev a · p / unit rounded down and up, from one product (checked). Below 2^200 without a
    /// check of its own: `_final` calls it on the |x| and |y| whose `_usd` at the same price
    /// `_netted` already bounded in the same pass.
    function _usdBoth(uint256 a, uint256 priceWad, uint256 unit) private pure returns (uint256 down, uint256 up) {
        uint256 q = a * priceWad;
        down = q / unit;
        unchecked {
            up = q % unit == 0 ? down : down + 1;
        }
    }

    /// Checked arithmetic, and the 2^200 bound the unchecked callers rely on.
    function _usd(int256 atoms, uint256 priceWad, uint256 unit) private pure returns (int256) {
        // holdings rounded down, debts up: against the account either way
        uint256 v = atoms >= 0 ? MathLib.mulDivDown(uint256(atoms), priceWad, unit) : MathLib.mulDivUp(uint256(-atoms), priceWad, unit);
        require(v < 2 ** 200, IAtlas.ValuationOutOfRange());
        return atoms >= 0 ? int256(v) : -int256(v);
    }

    /// @dev ⌈a / b⌉ (MathLib.divUp), kept for the readers that call it by this name.
    function divUp(uint256 a, uint256 b) internal pure returns (uint256) {
        return MathLib.divUp(a, b);
    }
}
