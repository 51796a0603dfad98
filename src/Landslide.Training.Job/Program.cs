using Landslide.CommandLine;
using Landslide.Training.Job.Commands;

var root = CommonOptions.Root("Trains, evaluates and exports the landslide model (TorchSharp); the training container's entry point.");
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(TrainingCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(FiltersCommand.Create());

return await CommonOptions.InvokeAsync(root, args).ConfigureAwait(false);
