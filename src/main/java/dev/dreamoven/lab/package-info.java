/**
 * The lab: research that is not part of the product, in the same source tree but left out of the
 * product jar ({@code target/dreamoven-lab.jar} has it, with {@code LabMain}). Its packages may use
 * the whole product; nothing in the product uses them.
 */
package dev.dreamoven.lab;
