/**
 * A picture kept in tfjs-backend-webgl's own WebGL2 context and shown without leaving the GPU:
 * an RGBA8 texture the size of the picture (row 0 the top), into which each decoded tile is
 * drawn from a dense float texture of the tile (the last level's output as tfjs's `readToGPU`
 * lays it out: texel (x, y) = sample y * width + x, in the display mapping), each sample
 * covering its block of pixels. Presenting draws the texture onto the context's own canvas (an
 * OffscreenCanvas) and hands that frame over as an ImageBitmap, which a `bitmaprenderer`
 * canvas shows without a copy. WebGL contexts share nothing, so the picture lives where the
 * decoder's textures are. tfjs sets the program, vertex array, viewport, scissor, framebuffer
 * and texture units it needs before each of its own draws, so these draws leave it nothing to
 * restore; its scissor test and back-face culling stay on, so each draw sets the scissor box
 * and uses a counter-clockwise triangle.
 */
import type { PixelRect } from '../tiles/blit.js';

const VERTEX = `#version 300 es
void main() {
  // One counter-clockwise triangle covering the viewport, made from the vertex index alone.
  vec2 p = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
  gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
}`;

const TILE = `#version 300 es
precision highp float;
precision highp int;
uniform highp sampler2D tile;
uniform ivec2 origin;
uniform ivec2 block;
out vec4 color;
void main() {
  ivec2 s = (ivec2(gl_FragCoord.xy) - origin) / block;
  // Values are 0..255 already; rounded here so that the texture's conversion stores exactly that byte.
  color = floor(texelFetch(tile, s, 0) + 0.5) / 255.0;
}`;

const SHOW = `#version 300 es
precision highp float;
precision highp int;
uniform highp sampler2D picture;
uniform int height;
out vec4 color;
void main() {
  // The canvas's row 0 is its bottom.
  ivec2 p = ivec2(gl_FragCoord.xy);
  color = texelFetch(picture, ivec2(p.x, height - 1 - p.y), 0);
}`;

interface Program {
  program: WebGLProgram;
  uniforms: Record<string, WebGLUniformLocation | null>;
}

function compile(gl: WebGL2RenderingContext, fragment: string, names: string[]): Program {
  const program = gl.createProgram();
  for (const [type, source] of [
    [gl.VERTEX_SHADER, VERTEX],
    [gl.FRAGMENT_SHADER, fragment],
  ] as const) {
    const shader = gl.createShader(type)!;
    gl.shaderSource(shader, source);
    gl.compileShader(shader);
    if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) throw new Error(`a presenting shader did not compile: ${gl.getShaderInfoLog(shader)}`);
    gl.attachShader(program, shader);
  }
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS)) throw new Error(`a presenting program did not link: ${gl.getProgramInfoLog(program)}`);
  return { program, uniforms: Object.fromEntries(names.map((n) => [n, gl.getUniformLocation(program, n)])) };
}

interface Programs {
  tile: Program;
  show: Program;
  /** Bound while these programs draw: they read no vertex attribute. */
  empty: WebGLVertexArrayObject;
}

const programs = new WeakMap<WebGL2RenderingContext, Programs>();

function programsFor(gl: WebGL2RenderingContext): Programs {
  let p = programs.get(gl);
  if (!p) {
    p = { tile: compile(gl, TILE, ['tile', 'origin', 'block']), show: compile(gl, SHOW, ['picture', 'height']), empty: gl.createVertexArray() };
    programs.set(gl, p);
  }
  return p;
}

export class WebGlPicture {
  private readonly texture: WebGLTexture;
  private readonly framebuffer: WebGLFramebuffer;

  constructor(
    private readonly gl: WebGL2RenderingContext,
    readonly width: number,
    readonly height: number,
  ) {
    this.texture = gl.createTexture();
    gl.bindTexture(gl.TEXTURE_2D, this.texture);
    gl.texStorage2D(gl.TEXTURE_2D, 1, gl.RGBA8, width, height);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    this.framebuffer = gl.createFramebuffer();
    gl.bindFramebuffer(gl.FRAMEBUFFER, this.framebuffer);
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, this.texture, 0);
  }

  /** Draws `rect` (clipped to the picture) from a dense float tile texture whose sample (0, 0) is at pixel `origin`, each `blockSize` ([y, x]) pixels. */
  writeTile(tile: WebGLTexture, origin: [number, number], blockSize: [number, number], rect: PixelRect): void {
    if (rect.width === 0 || rect.height === 0) return;
    const { gl } = this;
    const { tile: p, empty } = programsFor(gl);
    gl.useProgram(p.program);
    gl.bindVertexArray(empty);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, tile);
    gl.uniform1i(p.uniforms.tile!, 0);
    gl.uniform2i(p.uniforms.origin!, origin[0], origin[1]);
    gl.uniform2i(p.uniforms.block!, blockSize[1], blockSize[0]);
    gl.bindFramebuffer(gl.FRAMEBUFFER, this.framebuffer);
    gl.viewport(0, 0, this.width, this.height);
    gl.scissor(rect.x, rect.y, rect.width, rect.height);
    gl.drawArrays(gl.TRIANGLES, 0, 3);
  }

  /** Puts RGBA8 pixels (rect.width x rect.height) at `rect`. */
  upload(rgba: Uint8ClampedArray<ArrayBuffer>, rect: PixelRect): void {
    if (rect.width === 0 || rect.height === 0) return;
    const { gl } = this;
    gl.bindBuffer(gl.PIXEL_UNPACK_BUFFER, null);
    gl.bindTexture(gl.TEXTURE_2D, this.texture);
    gl.texSubImage2D(
      gl.TEXTURE_2D,
      0,
      rect.x,
      rect.y,
      rect.width,
      rect.height,
      gl.RGBA,
      gl.UNSIGNED_BYTE,
      new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.length),
    );
  }

  /** The picture as a frame for a `bitmaprenderer` canvas, drawn on the context's own OffscreenCanvas (resized to the picture). */
  present(): ImageBitmap {
    const { gl } = this;
    const canvas = gl.canvas as OffscreenCanvas;
    if (canvas.width !== this.width || canvas.height !== this.height) {
      canvas.width = this.width;
      canvas.height = this.height;
    }
    const { show: p, empty } = programsFor(gl);
    gl.useProgram(p.program);
    gl.bindVertexArray(empty);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.texture);
    gl.uniform1i(p.uniforms.picture!, 0);
    gl.uniform1i(p.uniforms.height!, this.height);
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
    gl.viewport(0, 0, this.width, this.height);
    gl.scissor(0, 0, this.width, this.height);
    gl.drawArrays(gl.TRIANGLES, 0, 3);
    return canvas.transferToImageBitmap();
  }

  /** The picture's RGBA8 pixels, rows top first. */
  read(): Uint8ClampedArray<ArrayBuffer> {
    const { gl } = this;
    const out = new Uint8ClampedArray(this.width * this.height * 4);
    gl.bindBuffer(gl.PIXEL_PACK_BUFFER, null);
    gl.bindFramebuffer(gl.FRAMEBUFFER, this.framebuffer);
    gl.readPixels(0, 0, this.width, this.height, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(out.buffer));
    return out;
  }

  dispose(): void {
    this.gl.deleteFramebuffer(this.framebuffer);
    this.gl.deleteTexture(this.texture);
  }
}
