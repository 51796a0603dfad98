namespace Landslide.Core.Scenes;

/// <summary>A scene that cannot be mapped, with a code the caller can act on and a message a person can read.</summary>
public sealed class SceneRejectedException : Exception, IRejectedInput
{
    public SceneRejectedException(SceneError code, string message)
        : base(message) => Code = code;

    public SceneRejectedException(SceneError code, string message, Exception innerException)
        : base(message, innerException) => Code = code;

    public SceneRejectedException()
        : this(SceneError.NotARaster, "The scene was rejected.")
    {
    }

    public SceneRejectedException(string message)
        : this(SceneError.NotARaster, message)
    {
    }

    public SceneRejectedException(string message, Exception innerException)
        : this(SceneError.NotARaster, message, innerException)
    {
    }

    public SceneError Code { get; }

    string IRejectedInput.Rejection => "scene rejected";

    string IRejectedInput.Code => Code.ToString();
}
