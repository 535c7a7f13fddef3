/**
 * Decides when a block keeps one extra map reference of its own, so that a pattern of map, unmap, map,
 * unmap on its allocations does not reach the driver each time (in the spirit of VMA's
 * VmaMappingHysteresis). Map and unmap events count for holding the mapping; allocate and free events
 * count for dropping it, so a block that is mostly allocated into and freed from is not kept mapped for
 * nothing. Both sides need `THRESHOLD` events in a row (net of the other side) to switch.
 */
export class MappingHysteresis {
  static readonly THRESHOLD = 7;
  private holding = false;
  /** Events that argue for switching state. */
  private toward = 0;
  /** Events that argue for staying, which cancel `toward` ones. */
  private against = 0;

  constructor(private readonly enabled: boolean) {}

  get isHolding(): boolean {
    return this.holding;
  }

  /** A map reference was taken. Returns true when the block should now hold its extra reference. */
  onMap(): boolean {
    if (!this.enabled) return false;
    if (this.holding) {
      this.countAgainst();
      return false;
    }
    this.toward += 1;
    if (this.toward >= MappingHysteresis.THRESHOLD) {
      this.switchState();
      return true;
    }
    return false;
  }

  onUnmap(): void {
    if (!this.enabled) return;
    if (this.holding) this.countAgainst();
    else this.toward += 1;
  }

  onAllocate(): void {
    if (!this.enabled) return;
    if (this.holding) this.toward += 1;
    else this.countAgainst();
  }

  /** An allocation was freed. Returns true when the block should now drop its extra reference. */
  onFree(): boolean {
    if (!this.enabled) return false;
    if (!this.holding) {
      this.countAgainst();
      return false;
    }
    this.toward += 1;
    if (this.toward >= MappingHysteresis.THRESHOLD && this.toward > this.against + 1) {
      this.switchState();
      return true;
    }
    return false;
  }

  /** Forget the extra reference (the block is going away). */
  reset(): void {
    this.holding = false;
    this.toward = 0;
    this.against = 0;
  }

  private switchState(): void {
    this.holding = !this.holding;
    this.toward = 0;
    this.against = 0;
  }

  private countAgainst(): void {
    if (this.against < this.toward) this.against += 1;
    else if (this.toward > 0) {
      this.toward -= 1;
      this.against -= 1;
    }
  }
}
