// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice A listed asset and its risk config in one word, for ATLAS's per-asset read (the core's
/// `_assetWord[id]`, read by `RiskLib`, and `assetWordOf`).
/// @dev Layout (uint256, bit 0 = least significant; 216 bits stored, the lent flag never stored):
///
///   255   254    216 215        200 199         184 183      168 167        160 159            0
///   | lent | zero 39 | haircutBps 16 | slippageBps 16 | shockBps 16 | decimals 8 | token 160      |
///
/// `haircutBps` is the lent haircut. The word mirrors `AssetConfig` (listAsset and setAssetRisk
/// write both).
type AssetWord is uint256;

using AssetWordLib for AssetWord global;

library AssetWordLib {
    uint256 internal constant DECIMALS_OFFSET = 160;
    uint256 internal constant SHOCK_OFFSET = 168;
    uint256 internal constant SLIPPAGE_OFFSET = 184;
    uint256 internal constant HAIRCUT_OFFSET = 200;
    uint256 internal constant LENT_BIT = 1 << 255;

    function from(address token_, uint8 decimals_, uint16 shockBps_, uint16 slippageBps_, uint16 lentHaircutBps_)
        internal
        pure
        returns (AssetWord)
    {
        return AssetWord.wrap(
            uint256(uint160(token_)) | uint256(decimals_) << DECIMALS_OFFSET | uint256(shockBps_) << SHOCK_OFFSET
                | uint256(slippageBps_) << SLIPPAGE_OFFSET | uint256(lentHaircutBps_) << HAIRCUT_OFFSET
        );
    }

    function token(AssetWord w) internal pure returns (address) {
        return address(uint160(AssetWord.unwrap(w)));
    }

    function decimals(AssetWord w) internal pure returns (uint8) {
        return uint8(AssetWord.unwrap(w) >> DECIMALS_OFFSET);
    }

    function shockBps(AssetWord w) internal pure returns (uint16) {
        return uint16(AssetWord.unwrap(w) >> SHOCK_OFFSET);
    }

    function slippageBps(AssetWord w) internal pure returns (uint16) {
        return uint16(AssetWord.unwrap(w) >> SLIPPAGE_OFFSET);
    }

    function lentHaircutBps(AssetWord w) internal pure returns (uint16) {
        return uint16(AssetWord.unwrap(w) >> HAIRCUT_OFFSET);
    }

    /// @dev The word with the lent flag set (for a lent balance).
    function withLent(AssetWord w) internal pure returns (AssetWord) {
        return AssetWord.wrap(AssetWord.unwrap(w) | LENT_BIT);
    }

    function lent(AssetWord w) internal pure returns (bool) {
        return AssetWord.unwrap(w) & LENT_BIT != 0;
    }
}
