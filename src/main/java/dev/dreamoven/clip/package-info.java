/**
 * CLIP in Java: the OpenAI architecture computed with DJL operations (frozen weights, gradients to
 * the pixels), checkpoint loading (TorchScript archives, safetensors, the shipped {@code shapes}
 * model and its vocabulary from the jar), the BPE tokenizer and libtorch start-up. Uses
 * {@code common} and DJL; knows nothing of dreams.
 */
package dev.dreamoven.clip;
