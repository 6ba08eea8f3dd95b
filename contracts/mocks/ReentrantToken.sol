// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {LowLevelCall} from "@openzeppelin/contracts/utils/LowLevelCall.sol";

/// @notice Calls back into a target during transfers, to prove the reentrancy guards hold.
contract ReentrantToken is ERC20 {
    address public callee;
    bytes public payload;
    /// @notice When set, the callback fires on the next transfer only (then disarms itself), so a
    ///         call-out made by the callback itself does not call back again.
    bool public oneShot;

    constructor() ERC20("Reentrant", "REE") {}

    /// @notice Mints `amount` to `to`; anyone may call (test token).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms the callback: every later transfer calls `target_` with `payload_`.
    function arm(address target_, bytes calldata payload_) external {
        callee = target_;
        payload = payload_;
        oneShot = false;
    }

    /// @notice Arms the callback for the next transfer only.
    function armOnce(address target_, bytes calldata payload_) external {
        callee = target_;
        payload = payload_;
        oneShot = true;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        address target = callee;
        if (target != address(0) && from != address(0) && to != address(0)) {
            if (oneShot) callee = address(0);
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory ret) = target.call(payload);
            if (!ok) LowLevelCall.bubbleRevert(ret);
        }
    }
}
