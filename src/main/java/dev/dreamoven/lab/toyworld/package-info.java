/**
 * The toy world (lab): the fixed procedural world the shipped {@code shapes} model was trained on, its
 * trainer, evaluation and diagnosis ({@code toyworld train|evaluate|diagnose|sample}), and the
 * model-free judge.
 *
 * <ul>
 * <li>64×64 pictures, a plain background of one named colour and one or two shapes, hard edges.</li>
 * <li>Shapes ({@link dev.dreamoven.lab.toyworld.ShapeKind}): circle, square, triangle (pointing up),
 *     cross (a plus sign, arms about a third of its size wide). Sizes: small (16 px, a quarter of
 *     the side) and big (32 px, half).</li>
 * <li>Colours ({@link dev.dreamoven.lab.toyworld.ToyColour}): red #DC2828, green #28B43C, blue
 *     #2850DC, yellow #F0DC28, purple #963CC8, orange #FA8C1E, white #F5F5F5, black #141414. A
 *     shape never has the background colour; two shapes have distinct colours and never overlap
 *     (at most one of them is big).</li>
 * <li>Positions of a lone shape: left, right, top, bottom, centre ({@link dev.dreamoven.lab.toyworld.Position#of});
 *     relations of two shapes: left of, right of, above, below ({@link dev.dreamoven.lab.toyworld.Relation#of}).</li>
 * <li>Captions ({@link dev.dreamoven.lab.toyworld.ToyWorld#caption}) come from 13 fixed templates and
 *     state only true facts; {@link dev.dreamoven.lab.toyworld.ToyPrompt} reads them (and a few
 *     synonyms such as "center") back; {@link dev.dreamoven.lab.toyworld.ToyJudge} checks a picture
 *     against what a prompt asks without any model, strictly: one region per asked shape, each
 *     fitting the asked kind's template.</li>
 * </ul>
 * The world, its prompts and the judge are plain Java, deterministic from seeds; the trainer and its
 * evaluation use DJL. Uses the product (clip, image, common).
 */
package dev.dreamoven.lab.toyworld;
