package dev.dreamoven.lab;

import dev.dreamoven.app.Main;
import dev.dreamoven.lab.bench.BenchCommand;
import dev.dreamoven.lab.eval.EvalCommand;
import dev.dreamoven.lab.fakediscord.FakeDiscordCommand;
import dev.dreamoven.lab.toyworld.ToyworldCommand;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Entry point of {@code java -jar dreamoven-lab.jar}: the research commands (training and judging
 * the toy world, the fidelity evaluation, benchmarks) over the same composition root as the
 * product. The product jar leaves this whole package tree out.
 */
@Command(name = "dreamoven-lab", mixinStandardHelpOptions = true, version = "Dream Oven lab 0.1.0",
        description = "Dream Oven's lab: the toy world, its model and judge, the evaluation and the benchmarks.",
        subcommands = {ToyworldCommand.class, EvalCommand.class, BenchCommand.class, FakeDiscordCommand.class,
                CommandLine.HelpCommand.class})
public final class LabMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    Main.GlobalOptions global;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        Main.useLogbackConfigFromDisk();
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /** The lab's command line over this environment; tests call it directly. */
    public static CommandLine commandLine(Map<String, String> environment) {
        return Main.commandLine(new LabMain(), environment);
    }
}
