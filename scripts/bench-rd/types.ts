import type { RdPoint } from './codecs.js';

/** One picture's points in bench:rd's JSON. */
export interface RdPicture {
  name: string;
  width: number;
  height: number;
  points: RdPoint[];
}
