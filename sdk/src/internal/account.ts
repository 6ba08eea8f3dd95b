import type { Account, Address, Client } from "viem";
import { parseAccount } from "viem/accounts";
import { AccountRequiredError } from "../errors/client.ts";

/** The account a write is sent from: `account` if given, else the client's. */
export function resolveAccount(client: Client, account: Account | Address | undefined, action: string): Account {
  const a = account ?? client.account;
  if (!a) throw new AccountRequiredError(action);
  return parseAccount(a);
}
