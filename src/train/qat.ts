/**
 * Quantisation-aware training (docs/TRAINING.md, "Quantisation-aware training"): the last phase
 * of a run trains through what a coded file stores (`codedModel`: the writer's phase wrapping
 * and quantiser, then the reader's dequantiser) with straight-through gradients. Each step
 * swaps the quantised weights into the network, computes the loss and gradients there, swaps
 * the float weights back and lets Adam update those: the rounding is treated as the identity
 * in the backward pass, and small updates accumulate in the float weights until they move a
 * code. What the network is evaluated with in this phase is exactly what a reader decodes.
 */
import { codedModel } from '../format/coded-model.js';
import type { AsmrModel } from '../model/types.js';
import type { AsmrNetwork } from './network.js';

/** Puts the quantised weights into a network for a step or an evaluation, and the float ones back. */
export class QuantisedWeights {
  private float: AsmrModel | undefined;

  constructor(
    private readonly net: AsmrNetwork,
    private readonly bits: number,
  ) {}

  /** Swaps the quantised weights in. */
  async swapIn(): Promise<void> {
    this.float = await this.net.toModel();
    this.net.setWeights(codedModel(this.float, this.bits));
  }

  /** Puts the float weights back (Adam's updates go to them). */
  swapOut(): void {
    this.net.setWeights(this.float!);
    this.float = undefined;
  }
}
