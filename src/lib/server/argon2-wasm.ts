/**
 * workerd may not compile WebAssembly from bytes at run time, so the Argon2 wasm modules are
 * imported statically (the Cloudflare Vite plugin turns `.wasm` imports into compiled modules)
 * and handed to the library before any password is hashed. Imported by the Worker's entry points.
 */
import { setWASMModules } from 'argon2-wasm-edge';
// @ts-expect-error: a compiled WebAssembly.Module, provided by the Cloudflare Vite plugin
import argon2WASM from 'argon2-wasm-edge/wasm/argon2.wasm';
// @ts-expect-error: as above
import blake2bWASM from 'argon2-wasm-edge/wasm/blake2b.wasm';

setWASMModules({ argon2WASM, blake2bWASM });
