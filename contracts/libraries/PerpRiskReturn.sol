// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {PerpRisk} from "../interfaces/IPerpMarket.sol";

/// @title Returns a `PerpRisk` from memory as it lies, without the ABI encoder's copy
/// @notice A struct of only static fields is laid out in memory exactly as its ABI encoding (ten
/// 32-byte words, each field left-padded as the encoder pads it), so its memory is already the
/// return data. ATLAS reads `riskOf` for every perp market of every account it values.
library PerpRiskReturn {
    /// @notice Ends the current call returning `r`.
    /// @dev Equivalent to `return r;` in an external function returning `PerpRisk memory` (the same
    /// bytes: `abi.encode(r)`, 0x140 long), without copying. `r` must be a fully written struct in
    /// memory (Solidity zeroes unset fields and cleans narrow ones on assignment).
    function returnRaw(PerpRisk memory r) internal pure {
        assembly ("memory-safe") {
            return(r, 0x140)
        }
    }
}
