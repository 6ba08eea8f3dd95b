import type { Client, TransactionReceipt } from "viem";
import { withDecodedErrors } from "../../errors/decode.ts";
import type { PythUpdate } from "../../internal/pyth.ts";
import { sendPythUpdate, type SyncOptions, type WriteOptions } from "../../internal/write.ts";

export interface UpdatePythPricesParameters extends Omit<WriteOptions, "pythUpdate" | "gas">, SyncOptions, PythUpdate {}

export type UpdatePythPricesReturnType = TransactionReceipt;

/**
 * Pushes signed Pyth price updates to the Pyth contract (paying the fee it asks) and waits for the
 * receipt. The core reads Pyth feeds as they stand, so this is how a fresh Pyth price reaches it;
 * to push the update right before one write, pass it as that write's `pythUpdate` option instead.
 *
 * @example
 * await updatePythPrices(client, { pyth, updateData: hermes.binary.data.map((d) => `0x${d}`) })
 */
export async function updatePythPrices(
  client: Client,
  parameters: UpdatePythPricesParameters,
): Promise<UpdatePythPricesReturnType> {
  return withDecodedErrors(() => sendPythUpdate(client, parameters, parameters, "updatePythPrices"));
}
