// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {SpotMarket} from "./SpotMarket.sol";
import {SpotMarketParams} from "./interfaces/IClearinghouse.sol";
import {BookParams} from "./interfaces/IOrderBook.sol";

/// @title Deploys spot markets at CREATE2 addresses the Clearinghouse can recompute
/// @notice Markets read their parameters back from here in their constructor, so the init code
/// is one constant and a market's address depends only on (index, base, quote). The
/// Clearinghouse authorises a calling market by recomputing that address: no registry read.
contract SpotMarketDeployer {
    error AlreadyBound();
    error NotBinder(address caller);
    error NotClearinghouse(address caller);

    /// @notice keccak256 of SpotMarket's creation code.
    bytes32 public immutable INIT_CODE_HASH;
    address private immutable _BINDER;
    address public clearinghouse;

    uint256 private _index;
    SpotMarketParams private _params;

    constructor() {
        INIT_CODE_HASH = keccak256(type(SpotMarket).creationCode);
        _BINDER = msg.sender;
    }

    /// @notice Binds the one Clearinghouse allowed to deploy markets; once, by this contract's deployer.
    function bind(address clearinghouse_) external {
        require(msg.sender == _BINDER, NotBinder(msg.sender));
        require(clearinghouse == address(0), AlreadyBound());
        clearinghouse = clearinghouse_;
    }

    /// @notice Deploys the market with salt keccak256(index, base, quote).
    function deploy(uint256 index, SpotMarketParams calldata p) external returns (address market) {
        require(msg.sender == clearinghouse, NotClearinghouse(msg.sender));
        _index = index;
        _params = p;
        // the parameters stay stored until the next deployment overwrites them: only a constructor reads them
        market = address(new SpotMarket{salt: keccak256(abi.encode(index, p.base, p.quote))}());
    }

    /// @notice Parameters of the market being deployed (read by its constructor).
    function bookParameters() external view returns (BookParams memory b) {
        SpotMarketParams memory p = _params;
        return BookParams(_index, clearinghouse, p.base, p.quote, p.lotSize, p.tickSize, p.minLots, p.makerFeeBps, p.takerFeeBps, p.maxMakerFeeBps);
    }
}
