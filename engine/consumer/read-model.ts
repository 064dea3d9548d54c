import type { Catalogue, Treasure } from '../catalogue.ts';
import type { EventType, HuntEvent } from '../event.ts';

/** Why an event is poison: it can never be applied, however often it is retried. */
export type PoisonReason = 'invalid-event' | 'unknown-treasure' | 'price-mismatch';

interface PlayerView {
  displayName: string;
  clues: Set<string>;
  claims: number;
}

interface TreasureView {
  treasure: Treasure;
  remaining: number;
  claims: number;
  soldOut: number;
  orders: number;
}

/**
 * The consumer's read model, kept in memory. Applying is idempotent by event id: a
 * redelivered event is counted as a duplicate and changes nothing.
 */
export class ReadModel {
  private readonly applied = new Set<string>();
  private readonly hunts = new Map<string, Map<string, PlayerView>>();
  private readonly treasures = new Map<string, TreasureView>();
  private readonly clueAnswers = new Map<string, string>();
  readonly appliedByType: Record<EventType, number> = {
    'player.joined': 0,
    'clue.found': 0,
    'treasure.claimed': 0,
    'order.placed': 0,
  };

  constructor(catalogue: Catalogue) {
    for (const t of catalogue.treasures) {
      this.treasures.set(t.id, {
        treasure: t,
        remaining: t.stock,
        claims: 0,
        soldOut: 0,
        orders: 0,
      });
    }
    for (const c of catalogue.clues) this.clueAnswers.set(c.id, c.answer);
  }

  has(id: string): boolean {
    return this.applied.has(id);
  }

  private readonly deadLettered = new Set<string>();

  /** Remembers a dead-lettered id: if it comes back (a re-drive) it is tried again but not counted twice. */
  markDeadLettered(id: string): void {
    this.deadLettered.add(id);
  }

  wasDeadLettered(id: string): boolean {
    return this.deadLettered.has(id);
  }

  /** Business rules; a reason means the event goes to the DLQ. */
  check(e: HuntEvent): PoisonReason | undefined {
    if (e.type !== 'treasure.claimed' && e.type !== 'order.placed') return undefined;
    const t = this.treasures.get(String(e.payload['treasureId']));
    if (!t) return 'unknown-treasure';
    if (e.type === 'order.placed' && e.payload['priceCents'] !== t.treasure.priceCents) {
      return 'price-mismatch';
    }
    return undefined;
  }

  /** Applies a checked event; false if it was applied before (a duplicate). */
  apply(e: HuntEvent): boolean {
    if (this.applied.has(e.id)) return false;
    this.applied.add(e.id);
    this.appliedByType[e.type]++;
    const player = this.player(e.huntId, e.playerId);
    switch (e.type) {
      case 'player.joined':
        player.displayName = String(e.payload['displayName']);
        break;
      case 'clue.found': {
        const clueId = String(e.payload['clueId']);
        const answer = this.clueAnswers.get(clueId);
        // Unknown clues count as found: the catalogue only knows the answers it shipped.
        if (answer === undefined || answer === e.payload['answer']) player.clues.add(clueId);
        break;
      }
      case 'treasure.claimed': {
        const t = this.treasures.get(String(e.payload['treasureId']))!;
        if (t.remaining > 0) {
          t.remaining--;
          t.claims++;
          player.claims++;
        } else t.soldOut++;
        break;
      }
      case 'order.placed':
        this.treasures.get(String(e.payload['treasureId']))!.orders++;
        break;
    }
    return true;
  }

  leaderboard(huntId: string, limit = 10) {
    const players = [...(this.hunts.get(huntId) ?? new Map<string, PlayerView>()).entries()]
      .map(([playerId, p]) => ({
        playerId,
        displayName: p.displayName,
        score: p.clues.size,
        claims: p.claims,
      }))
      .sort(
        (a, b) => b.score - a.score || b.claims - a.claims || a.playerId.localeCompare(b.playerId),
      );
    return { huntId, players: players.slice(0, limit), totalPlayers: players.length };
  }

  treasure(id: string) {
    const t = this.treasures.get(id);
    if (!t) return undefined;
    const { treasure, remaining, claims, soldOut, orders } = t;
    return { ...treasure, remaining, claims, soldOut, orders };
  }

  private player(huntId: string, playerId: string): PlayerView {
    let hunt = this.hunts.get(huntId);
    if (!hunt) {
      hunt = new Map();
      this.hunts.set(huntId, hunt);
    }
    let p = hunt.get(playerId);
    if (!p) {
      p = { displayName: playerId, clues: new Set(), claims: 0 };
      hunt.set(playerId, p);
    }
    return p;
  }
}
