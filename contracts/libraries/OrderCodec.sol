// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title Bit layouts of the packed words the order book reads and writes
/// @notice Field offsets for order words, order ids, order slots, levels and pockets.
/// Layouts are drawn in `ISpotMarket` and `docs/EVENTS.md`; the SDK mirrors these constants.
library OrderCodec {
    uint256 internal constant M8 = 0xff;
    uint256 internal constant M24 = (1 << 24) - 1;
    uint256 internal constant M32 = (1 << 32) - 1;
    uint256 internal constant M48 = (1 << 48) - 1;
    uint256 internal constant M64 = (1 << 64) - 1;
    uint256 internal constant M72 = (1 << 72) - 1;
    uint256 internal constant M112 = (1 << 112) - 1;

    // order kinds (time in force)
    uint256 internal constant GTC = 0;
    uint256 internal constant POST_ONLY = 1;
    uint256 internal constant IOC = 2;
    uint256 internal constant FOK = 3;
    uint256 internal constant MARKET = 4;

    // self-trade prevention, chosen by the taker
    uint256 internal constant STP_CANCEL_RESTING = 0;
    uint256 internal constant STP_CANCEL_INCOMING = 1;
    uint256 internal constant STP_CANCEL_BOTH = 2;

    // batch op kinds (bits 255..254)
    uint256 internal constant OP_PLACE = 0;
    uint256 internal constant OP_CANCEL = 1;
    uint256 internal constant OP_AMEND = 2;
    uint256 internal constant OP_CANCEL_CLIENT_ID = 3;

    /// @dev Order slot: [7..0] sub | [55..8] lots | [56] reduce-only | [63..57] lap tag | [95..64] expiry |
    /// [255..96] owner. Masking with ACCOUNT_MASK yields the AccountId verbatim. The lap tag is
    /// (queue position >> 8) mod 128: a ring slot is shared by every position ≡ it mod 256, and the
    /// tag tells which of them the slot holds (positions of one level are < 32,768 apart).
    uint256 internal constant ACCOUNT_MASK = (type(uint256).max << 96) | M8;
    uint256 internal constant LAP_SHIFT = 57;
    uint256 internal constant LAP_MASK = 0x7f;

    /// @dev Level word: [63..0] total lots | [95..64] head | [127..96] tail | [159..128] epoch |
    /// [167..160] stragglers (live orders the tail has lapped: positions < tail − 256).
    /// An empty level is always reset to head = tail = 0 with the epoch bumped, so queue slots
    /// are reused from the start and ids of earlier epochs can never match a new order.
    function level(uint256 total, uint256 head, uint256 tail, uint256 epoch, uint256 stragglers)
        internal
        pure
        returns (uint256)
    {
        return total | (head << 64) | (tail << 96) | (epoch << 128) | (stragglers << 160);
    }

    /// @dev The lap tag of queue position `pos`, in place in an order slot.
    function lapTag(uint256 pos) internal pure returns (uint256) {
        return ((pos >> 8) & LAP_MASK) << LAP_SHIFT;
    }

    /// @dev Order id: [31..0] position | [63..32] epoch | [87..64] tick | [88] side | [111..96] market.
    function orderId(uint256 index, uint256 side, uint256 tick, uint256 epoch, uint256 pos)
        internal
        pure
        returns (uint256)
    {
        return (index << 96) | (side << 88) | (tick << 64) | (epoch << 32) | pos;
    }
}
