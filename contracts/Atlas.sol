// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IAtlas} from "./interfaces/IAtlas.sol";
import {IPriceOracle} from "./interfaces/IPriceOracle.sol";
import {IMarginPool} from "./interfaces/IMarginPool.sol";
import {IClearinghouse} from "./interfaces/IClearinghouse.sol";
import {ISpotMarket} from "./interfaces/ISpotMarket.sol";
import {IPerpMarket, PerpRisk} from "./interfaces/IPerpMarket.sol";
import {AccountId} from "./types/AccountId.sol";
import {AtlasMath} from "./libraries/AtlasMath.sol";

/// @title Atlas: the portfolio-margin risk engine (spot, lending and perps)
/// @notice Holds no balances. Reads an account's positions from the Clearinghouse, its pockets
/// from the markets, prices from the OracleRouter, and values it as `IAtlas` and docs/RISK.md say.
contract Atlas is IAtlas {
    uint256 internal constant BPS = 10_000;
    uint256 internal constant WAD = 1e18;

    IClearinghouse public immutable CLEARINGHOUSE;
    /// @inheritdoc IAtlas
    IPriceOracle public immutable ORACLE;
    /// @inheritdoc IAtlas
    uint256 public immutable initialScaleBps;
    /// @inheritdoc IAtlas
    uint256 public immutable debtInterestSeconds;

    constructor(IClearinghouse clearinghouse, IPriceOracle oracle, uint256 initialScaleBps_, uint256 debtInterestSeconds_) {
        require(initialScaleBps_ >= BPS && initialScaleBps_ <= 20_000 && debtInterestSeconds_ <= 365 days, InvalidRiskParams());
        CLEARINGHOUSE = clearinghouse;
        ORACLE = oracle;
        initialScaleBps = initialScaleBps_;
        debtInterestSeconds = debtInterestSeconds_;
    }

    /// @inheritdoc IAtlas
    function riskOf(AccountId account) external view returns (AccountRisk memory r) {
        (r.equityWad, r.maintenanceWad, r.initialWad,) = _risk(account, address(0), 7);
    }

    /// @inheritdoc IAtlas
    function liquidationQuote(AccountId account, address debtToken, address collateralToken)
        external
        view
        returns (int256 maintenanceWad, int256 equityWad, uint256 debtAtoms, uint256 debtPriceWad, uint256 collateralPriceWad)
    {
        // the collateral as the what-if token: its price is read even if the account holds none.
        // No initial value: the conservative scenarios are about a third of the pass.
        AtlasMath.Entry[] memory e;
        (equityWad, maintenanceWad,, e) = _risk(account, collateralToken, 5);
        for (uint256 i; i < e.length; ++i) {
            AtlasMath.Entry memory t = e[i];
            // the debt as the pool books it (`debtOf`, rounded up); 0 for a token not owed
            if (t.token == debtToken) (debtAtoms, debtPriceWad) = (t.debtAtoms, t.priceWad);
            if (t.token == collateralToken) collateralPriceWad = t.priceWad;
        }
    }

    /// @inheritdoc IAtlas
    function assetRisks(AccountId account) external view returns (AssetRisk[] memory out) {
        (AtlasMath.Entry[] memory e, AtlasMath.Book[] memory b) = _gather(account, address(0));
        int256[] memory m = AtlasMath.values(e, b, BPS, false);
        int256[] memory i = AtlasMath.values(e, b, initialScaleBps, true);
        out = new AssetRisk[](e.length);
        for (uint256 k; k < e.length; ++k) {
            out[k] = AssetRisk(e[k].token, AtlasMath.adjusted(e[k]), e[k].priceWad, m[k], i[k], e[k].perpAtoms);
        }
    }

    /// @inheritdoc IAtlas
    function marginRequirements(AccountId account) external view returns (int256 portfolioWad, int256 crossWad) {
        (AtlasMath.Entry[] memory e, AtlasMath.Book[] memory b) = _gather(account, address(0));
        return AtlasMath.requirements(e, b, initialScaleBps);
    }

    /// @inheritdoc IAtlas
    function initialValue(AccountId account) external view returns (int256 v) {
        (,, v,) = _risk(account, address(0), 2);
    }

    /// @inheritdoc IAtlas
    function maintenanceValue(AccountId account) external view returns (int256 v) {
        (, v,,) = _risk(account, address(0), 1);
    }

    /// @inheritdoc IAtlas
    function maxWithdraw(AccountId account, address token, bool allowBorrow) external view returns (uint256 w) {
        (w,) = _maxWithdraw(account, token, allowBorrow);
    }

    /// @inheritdoc IAtlas
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
        address pool = allowBorrow ? CLEARINGHOUSE.positionOf(account, token).pool : address(0);
        uint256 hi = available;
        if (pool != address(0)) {
            // a debit redeems the lent balance before it borrows: that cash is gone from the pool
            (, uint256 borrowable) = IMarginPool(pool).borrowQuoteAfterRedeem(t.lentAtoms, 0);
            hi += borrowable;
        }
        // [idle, lent, debt, borrow shares, borrow index]: new debt is priced exactly as the pool
        // will book it (shares rounded up, then assets rounded up)
        uint256[5] memory start = [t.idleAtoms, t.lentAtoms, t.debtAtoms, 0, 0];
        if (pool != address(0)) {
            int256 amount = CLEARINGHOUSE.positionOf(account, token).amount;
            start[3] = amount < 0 ? uint256(-amount) : 0;
            start[4] = IMarginPool(pool).borrowIndexWad();
        }
        uint256 rate0 = t.borrowRateWad;
        uint256 lo;
        // Largest w with initial value >= 0 after withdrawing w: the value falls as w grows, so
        // bisection finds it exactly; the answer rounds down (the protocol's side). New debt is
        // priced at the rate the borrow itself brings, plus one atom for share rounding.
        while (lo < hi) {
            uint256 mid = hi - (hi - lo) / 2;
            _withdrawFrom(t, start, mid);
            if (mid > available) (t.borrowRateWad,) = IMarginPool(pool).borrowQuoteAfterRedeem(start[1], mid - available);
            else t.borrowRateWad = rate0;
            if (AtlasMath.value(e, b, initialScaleBps, true) >= 0) lo = mid;
            else hi = mid - 1;
        }
        return (lo, available);
    }

    /// @inheritdoc IAtlas
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

    // ------------------------------------------------------------------ gathering

    /// @dev One gather and one `AtlasMath.risk` pass (`mode` as there); one copy of the code for
    /// every single-pass view, which keeps the contract under 24 KB.
    function _risk(AccountId account, address extra, uint256 mode)
        internal
        view
        returns (int256 equityWad, int256 maintWad, int256 initWad, AtlasMath.Entry[] memory e)
    {
        AtlasMath.Book[] memory b;
        (e, b) = _gather(account, extra);
        (equityWad, maintWad, initWad) = AtlasMath.risk(e, b, initialScaleBps, mode);
    }

    /// @dev Balances and configs from the Clearinghouse (one call, raw words), pockets from the
    /// markets, prices from the oracle (one call). `extra` adds an entry for a token the account
    /// does not hold yet (for what-if views).
    function _gather(AccountId account, address extra)
        internal
        view
        returns (AtlasMath.Entry[] memory e, AtlasMath.Book[] memory b)
    {
        (uint256 st, uint256 perps, uint256[] memory w, address[] memory markets) =
            CLEARINGHOUSE.riskInputsOf(account, extra);
        uint256 held = w.length / 3;
        e = new AtlasMath.Entry[](held + 2 * markets.length + 1);
        uint256 n;
        for (uint256 i; i < w.length; i += 3) {
            n = _entry(e, n, w[i], int256(w[i + 1]), address(uint160(w[i + 2])));
        }
        b = new AtlasMath.Book[](markets.length);
        if (markets.length != 0) {
            // markets come in index order: walk the account's market mask to tell perps from spot
            uint256 m = (st >> 128) & type(uint64).max;
            uint256 k;
            uint256 books;
            for (uint256 i; m != 0; ++i) {
                if (m & 1 != 0) {
                    if ((perps >> i) & 1 != 0) n = _perp(e, n, IPerpMarket(markets[k]), account);
                    else n = _book(e, n, b, books++, ISpotMarket(markets[k]), account);
                    ++k;
                }
                m >>= 1;
            }
            assembly ("memory-safe") {
                mstore(b, books) // only spot books lock funds
            }
        }
        assembly ("memory-safe") {
            mstore(e, n)
        }
        address[] memory tokens = new address[](n);
        for (uint256 i; i < n; ++i) {
            tokens[i] = e[i].token;
        }
        uint256[] memory px = ORACLE.tryPrices(tokens);
        for (uint256 i; i < n; ++i) {
            uint256 word = px[i];
            require(word >> 255 != 0, PriceUnavailable(tokens[i]));
            e[i].priceWad = uint128(word);
            e[i].stableWad = (word >> 128) & (2 ** 127 - 1);
        }
    }

    /// @dev Adds one market's pocket to its base and quote entries and records its locked funds.
    function _book(
        AtlasMath.Entry[] memory e,
        uint256 n,
        AtlasMath.Book[] memory b,
        uint256 i,
        ISpotMarket m,
        AccountId account
    ) internal view returns (uint256) {
        (, address base, address quote,,,,) = m.config();
        (uint256 lb, uint256 lq, uint256 ub, uint256 uq,) = m.pocketOf(account.owner(), uint8(account.sub()));
        uint256 bi;
        uint256 qi;
        (n, bi) = _slot(e, n, base);
        (n, qi) = _slot(e, n, quote);
        e[bi].pocketAtoms += lb + ub;
        e[qi].pocketAtoms += lq + uq;
        b[i] = AtlasMath.Book(bi, qi, lb, lq);
        return n;
    }

    /// @dev Adds one perp market's position to its underlying (size, open orders, parameters) and its
    /// cash leg to the quote entry. Several perp markets on one underlying add up; their ATLAS
    /// parameters combine to the most conservative.
    function _perp(AtlasMath.Entry[] memory e, uint256 n, IPerpMarket m, AccountId account) internal view returns (uint256) {
        PerpRisk memory r = m.riskOf(account);
        uint256 ui;
        uint256 qi;
        (n, ui) = _slot(e, n, r.underlying);
        (n, qi) = _slot(e, n, r.quote);
        AtlasMath.Entry memory u = e[ui];
        u.hasPerp = true;
        u.perpAtoms += r.sizeAtoms;
        u.perpBidAtoms += r.bidAtoms;
        u.perpAskAtoms += r.askAtoms;
        if (r.liquidityBps > u.perpLiquidityBps) u.perpLiquidityBps = r.liquidityBps;
        if (u.perpImpactUsd == 0 || (r.impactNotionalUsd != 0 && r.impactNotionalUsd < u.perpImpactUsd)) {
            u.perpImpactUsd = r.impactNotionalUsd;
        }
        if (r.basisBps > u.basisBps) u.basisBps = r.basisBps;
        if (r.floorBps > u.floorBps) u.floorBps = r.floorBps;
        e[qi].perpCashAtoms += r.cashAtoms;
        return n;
    }

    /// @dev One entry from the Clearinghouse's asset word (`riskInputsOf`), signed amount and pool.
    /// The pool is non-zero exactly where its numbers are needed: debt (its rate prices 10 days of
    /// interest), a lent balance (shares to assets), or the what-if token (the rate of new debt).
    function _entry(AtlasMath.Entry[] memory e, uint256 n, uint256 cfg, int256 amount, address pool)
        internal
        view
        returns (uint256)
    {
        AtlasMath.Entry memory x = e[n];
        x.token = address(uint160(cfg));
        uint256 decimals = uint8(cfg >> 160);
        x.decimals = decimals;
        x.unit = 10 ** decimals;
        x.shockBps = uint16(cfg >> 168);
        x.slippageBps = uint16(cfg >> 184);
        x.haircutBps = uint16(cfg >> 200);
        x.debtInterestSeconds = debtInterestSeconds;
        if (amount <= 0) {
            if (pool == address(0)) return n + 1;
            IMarginPool p = IMarginPool(pool);
            if (amount < 0) (x.debtAtoms, x.borrowRateWad) = p.debtAndRateOf(uint256(-amount));
            else x.borrowRateWad = p.borrowRatePerSecondWad();
        } else if (cfg >> 255 != 0) {
            x.lentAtoms = IMarginPool(pool).convertToAssets(uint256(amount));
        } else {
            x.idleAtoms = uint256(amount);
        }
        return n + 1;
    }

    /// @dev Index of `token` among the first `n` entries, appending a bare entry if absent
    /// (a market's token the account holds no balance of: its config comes from the Clearinghouse).
    function _slot(AtlasMath.Entry[] memory e, uint256 n, address token) internal view returns (uint256, uint256) {
        for (uint256 i; i < n; ++i) {
            if (e[i].token == token) return (n, i);
        }
        return (_entry(e, n, CLEARINGHOUSE.assetWordOf(token), 0, address(0)), n);
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
        revert PriceUnavailable(token); // unreachable: _gather always adds the token asked for
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
