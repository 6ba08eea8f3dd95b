// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IAtlas} from "../interfaces/IAtlas.sol";
import {IAtlasLens} from "../interfaces/IAtlasLens.sol";
import {IClearinghouse} from "../interfaces/IClearinghouse.sol";
import {AccountId} from "../types/AccountId.sol";
import {AtlasMath} from "../libraries/AtlasMath.sol";

/// @title AtlasLens: ATLAS's what-if views (limits, liquidation price, breakdowns)
/// @notice A periphery contract over the core: it starts from the core's own priced entries
/// (`IClearinghouse.riskEntries`, the ones every margin check values) and its initial scale, so it
/// values exactly as the core does, then varies them (a withdrawal, a price). No contract calls it:
/// it is for clients.
contract AtlasLens is IAtlasLens {
    uint256 internal constant BPS = 10_000;

    /// @notice The core whose accounts this lens values.
    IClearinghouse public immutable CLEARINGHOUSE;

    constructor(IClearinghouse clearinghouse) {
        CLEARINGHOUSE = clearinghouse;
    }

    /// @dev The core's priced entries of the account (`extra` added if not held).
    function _gather(AccountId account, address extra)
        internal
        view
        returns (AtlasMath.Entry[] memory e, AtlasMath.Book[] memory b)
    {
        return CLEARINGHOUSE.riskEntries(account, extra);
    }

    /// @dev The core's initial scale (bps).
    function _initialScaleBps() internal view returns (uint256 scaleBps) {
        (scaleBps,) = CLEARINGHOUSE.riskParams();
    }

    /// @inheritdoc IAtlasLens
    function assetRisks(AccountId account) external view returns (AssetRisk[] memory out) {
        (AtlasMath.Entry[] memory e, AtlasMath.Book[] memory b) = _gather(account, address(0));
        int256[] memory m = AtlasMath.values(e, b, BPS, false);
        int256[] memory i = AtlasMath.values(e, b, _initialScaleBps(), true);
        out = new AssetRisk[](e.length);
        for (uint256 k; k < e.length; ++k) {
            out[k] = AssetRisk(e[k].token, AtlasMath.adjusted(e[k]), e[k].priceWad, m[k], i[k], e[k].perpAtoms);
        }
    }

    /// @inheritdoc IAtlasLens
    function marginRequirements(AccountId account) external view returns (int256 portfolioWad, int256 crossWad) {
        (AtlasMath.Entry[] memory e, AtlasMath.Book[] memory b) = _gather(account, address(0));
        return AtlasMath.requirements(e, b, _initialScaleBps());
    }

    /// @inheritdoc IAtlasLens
    function maxWithdraw(AccountId account, address token, bool allowBorrow) external view returns (uint256 w) {
        (w,) = _maxWithdraw(account, token, allowBorrow);
    }

    /// @inheritdoc IAtlasLens
    function maxBorrow(AccountId account, address token) external view returns (uint256) {
        (uint256 w, uint256 available) = _maxWithdraw(account, token, true);
        return w > available ? w - available : 0;
    }

    /// @dev The largest withdrawal and the part of it the account holds (idle or lent), from one gather.
    function _maxWithdraw(AccountId account, address token, bool allowBorrow)
        internal
        view
        returns (uint256, uint256 available)
    {
        (AtlasMath.Entry[] memory e, AtlasMath.Book[] memory b) = _gather(account, token);
        uint256 k = _find(e, token);
        AtlasMath.Entry memory t = e[k];
        available = t.idleAtoms + t.lentAtoms;
        bool pooled = allowBorrow && CLEARINGHOUSE.vaultOf(token) != address(0);
        uint256 hi = available;
        if (pooled) {
            // a debit redeems the lent balance before it borrows: that cash is gone from the pool
            (, uint256 borrowable) = CLEARINGHOUSE.borrowQuoteAfterRedeem(token, t.lentAtoms, 0);
            hi += borrowable;
        }
        // [idle, lent, debt, borrow shares, borrow index]: new debt is priced exactly as the pool
        // will book it (shares rounded up, then assets rounded up)
        uint256[5] memory start = [t.idleAtoms, t.lentAtoms, t.debtAtoms, 0, 0];
        if (pooled) {
            int256 amount = CLEARINGHOUSE.positionOf(account, token).amount;
            start[3] = amount < 0 ? uint256(-amount) : 0;
            start[4] = CLEARINGHOUSE.borrowIndexWad(token);
        }
        uint256 rate0 = t.borrowRateWad;
        uint256 lo;
        // Largest w with initial value >= 0 after withdrawing w: the value falls as w grows, so
        // bisection finds it exactly; the answer rounds down (the protocol's side). New debt is
        // priced at the rate the borrow itself brings, plus one atom for share rounding.
        while (lo < hi) {
            uint256 mid = hi - (hi - lo) / 2;
            _withdrawFrom(t, start, mid);
            if (mid > available) (t.borrowRateWad,) = CLEARINGHOUSE.borrowQuoteAfterRedeem(token, start[1], mid - available);
            else t.borrowRateWad = rate0;
            if (AtlasMath.value(e, b, _initialScaleBps(), true) >= 0) lo = mid;
            else hi = mid - 1;
        }
        return (lo, available);
    }

    /// @inheritdoc IAtlasLens
    function liquidationPrice(AccountId account, address token) external view returns (uint256) {
        (AtlasMath.Entry[] memory e, AtlasMath.Book[] memory b) = _gather(account, token);
        uint256 k = _find(e, token);
        // the net exposure to this price, spot and perp (as conservativePrice reads it), sets the direction
        int256 x = AtlasMath.netExposure(e[k]);
        if (x == 0) return 0;
        // Maintenance value moves one way with this price: up for a net long, down for a short.
        uint256 lo = 1;
        uint256 hi = 1e36;
        bool long = x > 0;
        if (!_healthyAt(e, b, k, long ? hi : lo)) return 0; // never healthy in range
        if (_healthyAt(e, b, k, long ? lo : hi)) return 0; // never liquidatable in range
        // Bisection for the boundary price: the lowest healthy price for a long, the highest for a short.
        while (lo < hi) {
            uint256 mid = long ? lo + (hi - lo) / 2 : hi - (hi - lo) / 2;
            bool healthy = _healthyAt(e, b, k, mid);
            if (long) {
                if (healthy) hi = mid;
                else lo = mid + 1;
            } else {
                if (healthy) lo = mid;
                else hi = mid - 1;
            }
        }
        return lo;
    }

    /// @dev Maintenance value >= 0 with entry `k` priced at `priceWad` (one copy of the pass for
    /// every probe of `liquidationPrice`).
    function _healthyAt(AtlasMath.Entry[] memory e, AtlasMath.Book[] memory b, uint256 k, uint256 priceWad)
        internal
        pure
        returns (bool)
    {
        e[k].priceWad = priceWad;
        return AtlasMath.value(e, b, BPS, false) >= 0;
    }

    function _find(AtlasMath.Entry[] memory e, address token) internal pure returns (uint256) {
        for (uint256 i; i < e.length; ++i) {
            if (e[i].token == token) return i;
        }
        revert IAtlas.PriceUnavailable(token); // unreachable: _gather always adds the token asked for
    }

    /// @dev What a withdrawal of `w` does to the balance: idle or lent funds first, then new debt,
    /// booked as the pool books it: shares rounded up, the whole debt's assets rounded up.
    function _withdrawFrom(AtlasMath.Entry memory t, uint256[5] memory start, uint256 w) internal pure {
        (uint256 idle0, uint256 lent0) = (start[0], start[1]);
        if (w <= idle0 + lent0) {
            t.idleAtoms = idle0 >= w ? idle0 - w : 0;
            t.lentAtoms = idle0 >= w ? lent0 : lent0 - (w - idle0);
            t.debtAtoms = start[2];
        } else {
            t.idleAtoms = 0;
            t.lentAtoms = 0;
            uint256 idx = start[4];
            uint256 shares = start[3] + AtlasMath.divUp((w - idle0 - lent0) * 1e18, idx);
            t.debtAtoms = AtlasMath.divUp(shares * idx, 1e18);
        }
    }
}
