using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Landslide.Cli.Commands;

/// <summary>Validates an options object by its data annotations, as the hosts do at start.</summary>
internal static class OptionsCheck
{
    public static void Validate<T>(T options)
        where T : class
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new OptionsValidationException(typeof(T).Name, typeof(T), results.Select(r => r.ErrorMessage ?? "invalid value"));
        }
    }
}
