// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {PerpRisk} from "../interfaces/IPerpMarket.sol";
import {PerpRiskReturn} from "../libraries/PerpRiskReturn.sol";

/// @notice Test only: the same `PerpRisk` returned through `PerpRiskReturn.returnRaw` and through
/// the ABI encoder, for `test/unit/perp.types.test.ts` to compare byte for byte.
contract PerpRiskReturnProbe {
    function _build(address u, int256 size, int256 cash, uint256 bids) internal pure returns (PerpRisk memory r) {
        r.underlying = u;
        r.quote = address(uint160(u) ^ 1);
        r.sizeAtoms = size;
        r.bidAtoms = bids;
        r.askAtoms = bids / 3;
        r.cashAtoms = cash;
        r.liquidityBps = 25;
        r.impactNotionalUsd = 10_000;
        r.basisBps = 115;
        r.floorBps = 20;
    }

    function raw(address u, int256 size, int256 cash, uint256 bids) external pure returns (PerpRisk memory r) {
        r = _build(u, size, cash, bids);
        PerpRiskReturn.returnRaw(r);
    }

    function encoded(address u, int256 size, int256 cash, uint256 bids) external pure returns (PerpRisk memory) {
        return _build(u, size, cash, bids);
    }
}
