// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title ArrayLib: memory array helpers
library ArrayLib {
    /// @dev Shortens `a` in place to its first `n` entries; `n` must not exceed its length (every
    /// caller counts the entries it wrote). The memory past `n` is left as is.
    /// Equivalent to (with a copy, which this avoids):
    ///     uint256[] memory b = new uint256[](n);
    ///     for (uint256 i; i < n; ++i) b[i] = a[i];
    ///     a = b;
    function truncate(uint256[] memory a, uint256 n) internal pure {
        assembly ("memory-safe") {
            mstore(a, n)
        }
    }
}
