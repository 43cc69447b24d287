/**
 * Pictures without tensors: RGB images, palettes and quantization, nearest-neighbour upscaling,
 * PNG (with text chunks) and GIF files written atomically, charts. Uses nothing of the product but
 * {@code common}, and no DJL.
 */
package dev.dreamoven.image;
