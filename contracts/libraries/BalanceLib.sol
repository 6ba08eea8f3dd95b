// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title The signed balance of one account in one token
library BalanceLib {
    /// @dev One slot. `amount` is in token atoms when idle, in supply shares of the token's pool when
    /// positive and `lent`, and in borrow shares of that pool when negative.
    struct Balance {
        int248 amount;
        bool lent;
    }
}
