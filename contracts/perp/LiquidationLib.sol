// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SignedMath} from "@openzeppelin/contracts/utils/math/SignedMath.sol";

/// @title LiquidationLib: the arithmetic of perp liquidation and bankruptcy
/// @notice Prices and amounts of a perp liquidation, its hedging spot leg and a bankruptcy, each
/// rounded for the protocol against the account being liquidated. No state and no address: today
/// `PerpLiquidator` calls it with what it read from the market, ATLAS and the Clearinghouse; the
/// one core's liquidation will call it with what it reads from its own storage. Formulas in
/// docs/PERPS.md ("Liquidation", "Bankruptcy").
library LiquidationLib {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant BPS = 10_000;

    /// @dev The price per lot (quote atoms) at which a position of `size` lots closes at the mark
    /// (`markLotWad`, quote atoms × 1e18 per lot), rounded the taker's way: a long is bought
    /// (rounded down), a short sold (rounded up). Used by a hedged liquidation and a bankruptcy.
    function closeAtMark(int256 size, uint256 markLotWad) internal pure returns (uint256 priceAtoms) {
        return size > 0 ? markLotWad / WAD : Math.ceilDiv(markLotWad, WAD);
    }

    /// @dev The price per lot (quote atoms) of a plain liquidation: a long is bought `discountBps`
    /// below the mark (rounded down), a short sold that far above it (rounded up): both in the
    /// liquidator's favour, which the discount pays for.
    function discounted(int256 size, uint256 markLotWad, uint256 discountBps) internal pure returns (uint256 priceAtoms) {
        return size > 0
            ? (markLotWad * (BPS - discountBps)) / (BPS * WAD)
            : Math.ceilDiv(markLotWad * (BPS + discountBps), BPS * WAD);
    }

    /// @dev The most a hedged pair's spot leg may be discounted: the same share of the basis charge
    /// as the Dutch cap takes of shock + slippage (rounded down: against the liquidator), so unwinding
    /// the pair still raises maintenance value.
    function hedgeCapBps(uint256 basisBps, uint256 capShareBps) internal pure returns (uint256) {
        return (basisBps * capShareBps) / BPS;
    }

    /// @dev The quote atoms of the hedging spot leg worth `indexValueWad` (quote atoms × 1e18) at the
    /// index: a long perp's spot debt is delivered by the liquidator and paid `discountBps` above the
    /// index (rounded up), a short perp's spot held is bought that far below it (rounded down).
    function spotLegQuote(bool longPerp, uint256 indexValueWad, uint256 discountBps) internal pure returns (uint256) {
        return longPerp
            ? Math.ceilDiv(indexValueWad * (BPS + discountBps), BPS * WAD)
            : (indexValueWad * (BPS - discountBps)) / (BPS * WAD);
    }

    /// @dev The most maintenance value a liquidation may leave: `bufferBps` of a positive equity, else 0.
    function bufferValue(int256 equity, uint256 bufferBps) internal pure returns (int256) {
        // int256(bufferBps): safe because the Clearinghouse's buffer is a uint16 of basis points
        return equity > 0 ? (equity * int256(bufferBps)) / int256(BPS) : int256(0);
    }

    /// @dev A position's value (quote atoms) closed at `priceAtoms` per lot: unsettled cash, less the
    /// funding and loss charges owed and the entry, plus the size at that price.
    function valueAt(int256 size, int256 entry, int256 cash, int256 owed, uint256 priceAtoms)
        internal
        pure
        returns (int256)
    {
        return cash - owed - entry + size * int256(priceAtoms);
    }

    /// @dev A position's value (quote atoms) at the mark (quote atoms × 1e18 per lot), the size's part
    /// rounded against the account (down for a long, up in magnitude for a short).
    function valueAtMark(int256 size, int256 entry, int256 cash, int256 owed, uint256 markLotWad)
        internal
        pure
        returns (int256)
    {
        uint256 absSize = SignedMath.abs(size);
        int256 sized =
            size > 0 ? int256((absSize * markLotWad) / WAD) : -int256(Math.ceilDiv(absSize * markLotWad, WAD));
        return cash - owed - entry + sized;
    }
}
