using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace Landslide.CommandLine;

/// <summary>Validates an options object by its data annotations, as the hosts do at start.</summary>
public static class OptionsCheck
{
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The programs are not trimmed.")]
    public static void Validate<T>(T options)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new OptionsValidationException(typeof(T).Name, typeof(T), results.Select(r => r.ErrorMessage ?? "invalid value"));
        }
    }
}
