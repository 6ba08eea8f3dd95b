// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title Field masks for PerpMarket's own packed words (position, pocket, funding, index)
/// @notice The book's words are types now: `OrderWord`, `OrderId`, `OrderSlot`, `LevelKey`,
/// `LevelWord`, `TopWord`, `SpotPocket`, `BatchOp` and the event words in `TradeWords`
/// (contracts/types/). These masks remain only for PerpMarket's words until they get types too.
library OrderCodec {
    uint256 internal constant M8 = 0xff;
    uint256 internal constant M24 = (1 << 24) - 1;
    uint256 internal constant M32 = (1 << 32) - 1;
    uint256 internal constant M48 = (1 << 48) - 1;
    uint256 internal constant M64 = (1 << 64) - 1;
    uint256 internal constant M72 = (1 << 72) - 1;
    uint256 internal constant M112 = (1 << 112) - 1;
    /// @dev the `AccountId` bits of a word that carries one verbatim (owner and sub)
    uint256 internal constant ACCOUNT_MASK = (type(uint256).max << 96) | M8;
}
