namespace Landslide.Core;

/// <summary>
/// An error the user can fix in what they gave (a scene, labels, a model): the programs map it to exit code 2 and
/// print <c>error: {Rejection} ({Code}): {message}</c>. Each failure family keeps its own exception type and code.
/// </summary>
public interface IRejectedInput
{
    /// <summary>What was refused, as the user reads it: "scene rejected", "labels rejected", "model refused".</summary>
    string Rejection { get; }

    /// <summary>The stable code of the failure (the family's enum value, as text).</summary>
    string Code { get; }
}
