using Xunit;

namespace Landslide.TestSupport;

/// <summary>A fact that needs the real patches; skipped with a message naming the folder when they are absent.</summary>
public sealed class RealDataFactAttribute : FactAttribute
{
    public RealDataFactAttribute()
    {
        if (SharedData.Folder is null)
        {
            Skip = SharedData.MissingMessage;
        }
    }
}
