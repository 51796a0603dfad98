namespace Landslide.Infrastructure.Tests;

/// <summary>Where a bound setting is declared: options class <paramref name="Class"/>, property <paramref name="Property"/>.</summary>
internal sealed record SettingDeclaration(string Class, string Property);
