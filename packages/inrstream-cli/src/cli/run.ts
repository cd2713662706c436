import { Command, CommanderError, Option } from 'commander';
import { InrError } from '../../../../src/util/errors.js';
import { BenchRunError } from '../bench/node/drive.js';
import { benchBudgetCommand } from './bench-budget.js';
import { DEFAULT_DECODE_MIB, decodeCommand } from './decode.js';
import { importAsmrCommand } from './import-asmr.js';
import { infoCommand } from './info.js';
import { DEFAULT_MAX_PIXELS } from '../media/image.js';
import { FileError, UsageError } from './io.js';
import { escapeControls } from './terminal.js';
import { trainCommand } from './train.js';
import { DEFAULT_HEAD_WEIGHT } from '../../../../src/train/trainer.js';

function buildProgram(print: (s: string) => void): Command {
  const program = new Command('inrstream')
    .description('Make, inspect and decode .inr neural images and video (ASMR models)')
    .version('0.1.0')
    .exitOverride()
    .showSuggestionAfterError();

  program
    .command('import-asmr')
    .description('convert a model of the PyTorch ASMR reference (safetensors + config.json) into .inr')
    .requiredOption('--weights <file>', 'model.safetensors (state_dict, [out, in] weights)')
    .requiredOption('--config <file>', 'config.json (dim_in, dim_out, data_size, config)')
    .requiredOption('-o, --output <file>', 'the .inr to write')
    .addOption(new Option('--dtype <dtype>', 'weight storage').choices(['f32', 'f16', 'int8']).default('f32'))
    .action(async (o) => print(await importAsmrCommand(o)));

  program
    .command('info')
    .description('shape, levels, widths, storage, cost per pixel and provenance of a .inr')
    .argument('<file>', 'the .inr')
    .option('--json', 'print one JSON object')
    .action(async (file, o) => print(await infoCommand(file, Boolean(o.json))));

  program
    .command('decode')
    .description('decode a .inr to OUT.png (8-bit, clamped) or OUT.f32 (raw float32, [samples, channels])')
    .argument('<file>', 'the .inr')
    .requiredOption('-o, --output <file>', 'OUT.png or OUT.f32')
    .option('--frame <t>', 'decode one frame of a video')
    .option('--max-memory <MiB>', 'refuse a model whose decode would need more memory than this (estimated before decoding)', String(DEFAULT_DECODE_MIB))
    .action(async (file, o) => print(await decodeCommand(file, o.output, o.frame, o.maxMemory)));

  program
    .command('train')
    .description('fit an ASMR model to an image (PNG/JPEG), a folder of frames or a .y4m clip, and write .inr')
    .argument('<input>', 'image, folder of frames, or .y4m')
    .requiredOption('-o, --output <file>', 'the .inr to write')
    .option('--bases <list>', 'per-axis bases, outermost axis first: "4,4,4,8;4,4,4,8" (default: chosen)')
    .option('--levels <n>', 'levels when the bases are chosen (default 4; with --target-bytes, the only level count tried)')
    .option('--hidden <n>', 'width of the hidden layers (default 64)')
    .option('--iters <n>', 'iterations', '1000')
    .option('--lr <rate>', 'peak learning rate (Adam, cosine-annealed)', '5e-4')
    .option('--min-lr <rate>', 'the learning rate the cosine schedule ends at (as the reference)', '1e-5')
    .option('--output-bias <start>', "the last layer's starting bias: mean (of the input, per channel) or reference", 'mean')
    .option('--teacher <t>', 'int (Implicit Neural Teaching) or uniform (full batch)', 'int')
    .option('--ratio-schedule <s>', 'constant, linear, step or cosine', 'step')
    .option('--start-ratio <r>', "the teacher's first ratio", '0.2')
    .option('--interval <s>', 'dense, dense2, incremental or reverse-incremental', 'incremental')
    .option('--seed <n>', 'initialisation seed', '0')
    .option('--target-psnr <dB>', 'stop once this PSNR is reached')
    .option('--dtype <dtype>', 'weight storage: f32, f16 or int8', 'f32')
    .option('--bits <n>', 'quantisation-aware training, stored entropy-coded at n bits (2..16; 8, 6, 5, 4 usual): dtype q<n>')
    .option('--qat-iters <n>', 'iterations of the quantisation-aware phase, the last of --iters (default a third)')
    .option('--qat-lr <rate>', "that phase's learning rate, restarted and cosine-annealed to --min-lr (default --lr)")
    .option('--target-bytes <n>', 'choose the levels, bases and width for a file of at most n bytes (prints the choice and its alternatives)')
    .option('--bpp <bits>', 'as --target-bytes, for this many bits per pixel')
    .option('--fit <mode>', 'a size the chosen bases cannot fit: crop, pad or none (fail)', 'crop')
    .option('--frames <n>', 'use at most this many frames of a clip')
    .option('--max-pixels <n>', 'refuse a PNG/JPEG image or frame larger than this (checked from its header before decoding)', String(DEFAULT_MAX_PIXELS))
    .option('--segment-frames <n>', 'train a clip as time segments of n frames each (one model per segment, one .inr)')
    .option('--eval-every <n>', 'PSNR curve point every n iterations', '50')
    .option(
      '--level-heads <weight>',
      `train a picture per level (level heads, shown while the file arrives) with this weight on their loss; 0: none (default: ${DEFAULT_HEAD_WEIGHT} for a picture, 0 for a clip)`,
    )
    .option('--json', 'print one JSON summary (iterations, seconds, PSNR curve, final PSNR, MAC/px)')
    .action(async (input, o) => print(await trainCommand(input, o, !o.json && process.stderr.isTTY === true)));

  program
    .command('bench-budget')
    .description('measure the MAC budget per frame this machine affords, per backend, under CPU throttling (headless Chromium)')
    .option('--throttle <list>', 'CPU slow-down factors, e.g. 1,4,6', '1,4,6')
    .option('--backend <list>', 'backends to measure: webgpu, webgl, wasm, cpu', 'webgl,wasm')
    .option('--out <dir>', 'where bench-budget.json and bench-budget.png go', 'bench-budget')
    .option('--quick', 'a short run (few frames; noisier figures) for smoke tests')
    .option('--json', 'print the runs as JSON')
    .action(async (o) => print(await benchBudgetCommand(o, o.json ? 'none' : process.stderr.isTTY ? 'bar' : 'lines')));

  return program;
}

/** Runs the CLI; returns the exit code: 0 done, 1 the work failed, 2 it was called wrongly. */
export async function run(
  argv: string[],
  writeOut = (s: string) => process.stdout.write(s + '\n'),
  writeErr = (s: string) => process.stderr.write(s + '\n'),
): Promise<number> {
  // Everything printed passes through escapeControls: it may carry a file's own text.
  const out = (s: string) => writeOut(escapeControls(s));
  const err = (s: string) => writeErr(escapeControls(s));
  const program = buildProgram(out);
  program.configureOutput({ writeOut: (s) => out(s.trimEnd()), writeErr: (s) => err(s.trimEnd()) });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has already printed its one-line message (or the help text).
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError) {
      err(`inrstream: ${e.message}`);
      return 2;
    }
    if (e instanceof InrError || e instanceof FileError || e instanceof BenchRunError) {
      err(`inrstream: ${e.message}`);
      return 1;
    }
    err(`inrstream: unexpected failure: ${(e as Error)?.message ?? String(e)}`);
    return 1;
  }
}
