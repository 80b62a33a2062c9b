import type { Bus } from '../bus/bus';
import type { GroupCommitter } from '../group-commit';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { AppendRequest, AppendResult, ReceiptChange, ReceiptRequest, Store } from '../store/store';
import type { Budgets } from './budgets';
import type { Hub } from './hub';
import type { PresenceService } from './presence';
import type { TypingRelay } from './typing';

/** What request handlers work with; built once in server.ts. */
export interface RealtimeContext {
  store: Store;
  bus: Bus;
  hub: Hub;
  logger: Logger;
  metrics: Metrics;
  now: () => number;
  messages: GroupCommitter<AppendRequest, AppendResult>;
  receipts: GroupCommitter<ReceiptRequest, ReceiptChange | null>;
  presence: PresenceService;
  typing: TypingRelay;
  budgets: Budgets;
}
